import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/i18n';
import i18n from '../src/i18n';
import type { Schemas } from '../src/api/client';
import { SessionProvider } from '../src/auth/session';
import { StepsTable } from '../src/components/project/StepsTable';
import { PROJECT } from './fixtures/project-standard';

/*
 * A project whose track has sub-step groups: a blocked step says which group it waits for, whether all or any one of
 * its steps must pass and which of them are still open; a step the other way through its group made unnecessary
 * says 不再需要 instead of its state, and waits for nothing.
 */

type Step = Schemas['StepDto'];
const base = PROJECT.steps[0]!;
const step = (key: string, nameZh: string, name: string, over: Partial<Step>): Step => ({
  ...base,
  key,
  name,
  nameZh,
  dependsOn: [],
  blockedBy: [],
  waitsFor: [],
  availableActions: [],
  light: null,
  ...over,
});

const project = {
  code: PROJECT.code,
  expiries: [],
  steps: [
    step('risk_assessment', '风险评估（无需修复）', 'Risk assessment', { state: 'approved' }),
    step('remediation', '治理修复', 'Remediation', { state: 'blocked', notRequired: true }),
    step('fire_check', '消防验收', 'Fire safety sign-off', { state: 'approved' }),
    step('defence_check', '人防验收', 'Civil defence sign-off', { state: 'in_review' }),
    step('release', '收储', 'Land taken into the reserve', { state: 'blocked', dependsOn: ['soil_cleared', 'sign_offs'], blockedBy: ['sign_offs'] }),
  ],
  stepGroups: [
    { key: 'soil_cleared', name: 'Soil cleared', nameZh: '土壤风险管控完成', mode: 'any' as const, steps: ['risk_assessment', 'remediation'] },
    { key: 'sign_offs', name: 'Safety sign-offs', nameZh: '安全验收', mode: 'all' as const, steps: ['fire_check', 'defence_check'] },
  ],
};

function renderTable() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <SessionProvider>
        <MemoryRouter>
          <AntApp>
            <StepsTable project={project} selectedKey={null} onSelect={() => undefined} />
          </AntApp>
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

describe('steps of a track with sub-step groups', () => {
  afterEach(async () => {
    await i18n.changeLanguage('zh');
  });

  it('names the group a step waits for, its mode and its open steps; a step no longer required says so', () => {
    renderTable();

    expect(screen.getByTestId('blocked-release')).toHaveTextContent('等待安全验收（全部通过）：人防验收');
    expect(screen.getByTestId('blocked-release')).not.toHaveTextContent('土壤');
    const remediation = screen.getByRole('button', { name: '治理修复' }).closest('tr')!;
    expect(within(remediation).getByText('不再需要')).toBeInTheDocument();
    expect(screen.queryByTestId('blocked-remediation')).toBeNull();
  });

  it('says it in English', async () => {
    await i18n.changeLanguage('en');
    renderTable();

    expect(screen.getByTestId('blocked-release')).toHaveTextContent('Waits for Safety sign-offs (all must pass): Civil defence sign-off');
    expect(screen.getByText('No longer required')).toBeInTheDocument();
  });
});
