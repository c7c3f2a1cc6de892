/*
 * `npm run -s report:statutory`: prints the statutory-fidelity figures from a running API (API_URL, default
 * http://localhost:3000, e.g. the one `npm start` runs), read as the demo supervisor: government time
 * (政府审批用时) per project and its promises, steps past their statutory limit (法定时限), the summary's sums, and
 * which projects carry an extension (延期), an excluded period (Art. 45) and a deemed acceptance (Art. 32).
 */
import { demoToken, demoUser } from './demo-users.js';

interface Step {
  key: string;
  state: string;
  statutoryOverdue: boolean;
  deemedAccepted: boolean;
  receivedAt: string | null;
  extension: { workingDays: number; by: string; applicantNotifiedOn: string } | null;
  clockStops: Array<{ reason: string; kind?: string; stoppedAt: string; resumedAt: string | null }>;
}
interface Project {
  code: string;
  name: string;
  track: string;
  status: string;
  stage: string;
  governmentTime: { asOf: string; workingDays: number; stepWorkingDaysTotal: number; promises: Array<{ key: string; limit: number; usedWorkingDays: number; exceeded: boolean }> } | null;
  steps: Step[];
}

async function main(): Promise<void> {
  const base = `${(process.env.API_URL ?? 'http://localhost:3000').replace(/\/$/, '')}/api/v1`;
  const token = await demoToken(demoUser('supervisor')!, '10m');
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { items } = await get<{ items: Project[] }>('/projects?pageSize=200');
  const out = (line: string) => process.stdout.write(`${line}\n`);

  out('government time (政府审批用时) per project, working days; promises used/limit (exceeded: !):');
  for (const p of items) {
    const g = p.governmentTime;
    const promises = (g?.promises ?? []).map((x) => `${x.key} ${x.usedWorkingDays}/${x.limit}${x.exceeded ? ' !' : ''}`).join(', ');
    const statutory = p.steps.filter((s) => s.statutoryOverdue && ['in_review', 'supplement_requested'].includes(s.state)).map((s) => s.key);
    out(
      `  ${p.code} ${p.track.padEnd(11)} ${p.status.padEnd(9)} ${String(g?.workingDays ?? '—').padStart(5)} (steps ${g?.stepWorkingDaysTotal ?? '—'}, as of ${g?.asOf ?? '—'})` +
        `${promises ? `  ${promises}` : ''}${statutory.length > 0 ? `  past statutory limit: ${statutory.join(', ')}` : ''}`,
    );
  }

  const summary = await get<{
    projects: number;
    statutoryOverdue: { projects: number; steps: number };
    governmentTime: { projects: number; workingDaysTotal: number; workingDaysAverage: number | null; byPromise: Array<{ key: string; projects: number; exceeded: number }> };
  }>('/supervision/summary');
  const gt = summary.governmentTime;
  out(`summary: ${summary.projects} running projects; government time of ${gt.projects}: ${gt.workingDaysTotal} working days, average ${gt.workingDaysAverage ?? '—'}`);
  for (const p of gt.byPromise) out(`  promise ${p.key}: exceeded by ${p.exceeded} of ${p.projects}`);
  out(`  past the statutory limit: ${summary.statutoryOverdue.steps} steps in ${summary.statutoryOverdue.projects} projects`);

  out('extensions, excluded periods and deemed acceptances:');
  for (const p of items) {
    for (const s of p.steps) {
      if (s.extension) out(`  ${p.code} ${s.key}: extended by ${s.extension.workingDays} working days by ${s.extension.by}, applicant told ${s.extension.applicantNotifiedOn}`);
      for (const c of s.clockStops.filter((x) => x.reason === 'excluded_period')) out(`  ${p.code} ${s.key}: excluded period ${c.kind} ${c.stoppedAt} → ${c.resumedAt ?? 'open'}`);
      if (s.deemedAccepted) out(`  ${p.code} ${s.key}: deemed accepted on receipt ${s.receivedAt} (${s.state})`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`report failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
