/**
 * The job-name rule shared by simulated results, fio job files and measured runs:
 * `<container>.<replica>.<job>`, or `<container>.<job>` for a container with one replica,
 * and `@<phase>` after it for a job of a scenario phase.
 */
export function jobName(container: string, replica: number, replicas: number, job: string, phase?: string): string {
  const base = replicas === 1 ? `${container}.${job}` : `${container}.${replica}.${job}`;
  return phase === undefined ? base : `${base}@${phase}`;
}
