/** One colour per section label, so repeats (verse, chorus) are recognisable at a glance. */
const COLORS: Record<string, string> = {
  intro: 'gray',
  verse: 'blue',
  chorus: 'grape',
  bridge: 'teal',
  outro: 'gray',
};

export function sectionColor(label: string): string {
  return COLORS[label] ?? 'indigo';
}
