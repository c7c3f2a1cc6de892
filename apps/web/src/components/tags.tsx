import { Badge, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Colours of the lights (DESIGN.md §4): green on time, yellow warning, red overdue. */
export const LIGHT_COLORS = { green: '#389e0d', yellow: '#d48806', red: '#cf1322' } as const;

/** A light as a coloured dot with its name (never colour alone: the text is read out too). */
export function LightBadge({ light }: { light: string | null | undefined }) {
  const { t } = useTranslation();
  if (!light) return <span>—</span>;
  const color = LIGHT_COLORS[light as keyof typeof LIGHT_COLORS] ?? '#8c8c8c';
  return <Badge color={color} text={t(`lights.${light}`)} data-light={light} />;
}

const STATE_COLORS: Record<string, string> = {
  blocked: 'default', ready: 'blue', received: 'cyan', in_review: 'processing', supplement_requested: 'orange',
  approved: 'success', delivered: 'success', waived: 'purple', rejected: 'error',
};

/** Text colours of the light tags dark enough for WCAG AA contrast on their tint (antd's presets miss it). */
const STATE_TEXT: Record<string, string> = {
  received: '#00474f', in_review: '#1f5fbf', supplement_requested: '#873800', approved: '#135200', delivered: '#135200', waived: '#391085', rejected: '#a8071a',
};

/** A step's state (待前置, 待申请, 审查中, 补正中, 已办结 …) as a tag. */
export function StepStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-state={state} style={STATE_TEXT[state] ? { color: STATE_TEXT[state] } : undefined}>
      {t(`states.${state}`)}
    </Tag>
  );
}
