/** "1 resource", "2 resources", "1 policy" / "2 policies": counts in messages agree with their noun. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
