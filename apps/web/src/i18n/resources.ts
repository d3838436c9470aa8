import en from './en.json';
import es from './es.json';

type Tree = Record<string, unknown>;

function merge(into: Tree, from: Tree): Tree {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object') {
      merge(existing as Tree, value as Tree);
    } else {
      into[key] = value;
    }
  }
  return into;
}

/**
 * Features keep their strings in `features/<feature>.<language>.json` so that each feature owns
 * its own file; they are merged over the shared `en.json` / `es.json` here.
 */
const featureFiles = import.meta.glob<Tree>('./features/*.json', { eager: true, import: 'default' });

function build(language: 'en' | 'es', base: Tree): Tree {
  const tree = structuredClone(base);
  for (const [path, strings] of Object.entries(featureFiles).sort(([a], [b]) => a.localeCompare(b))) {
    if (path.endsWith(`.${language}.json`)) merge(tree, strings);
  }
  return tree;
}

export const resources = {
  en: { translation: build('en', en as Tree) },
  es: { translation: build('es', es as Tree) },
} as const;
