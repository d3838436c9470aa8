import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/** A cool, near-black dark palette: the canvas of a creative tool. */
const dark: MantineColorsTuple = [
  '#D4D4DE',
  '#B9B9C6',
  '#9D9DAD',
  '#6F6F82',
  '#41414F',
  '#2F2F3B',
  '#23232D',
  '#191920',
  '#131318',
  '#0D0D11',
];

export const theme = createTheme({
  primaryColor: 'violet',
  primaryShade: { light: 7, dark: 6 },
  colors: { dark },
  autoContrast: true,
  defaultRadius: 'md',
  focusRing: 'auto',
  cursorType: 'pointer',
  fontFamily:
    "Inter, 'SF Pro Text', ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  fontFamilyMonospace: "'JetBrains Mono', ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  headings: {
    fontFamily:
      "Inter, 'SF Pro Display', ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    fontWeight: '700',
    textWrap: 'balance',
  },
  defaultGradient: { from: 'violet.5', to: 'grape.5', deg: 135 },
  components: {
    Paper: { defaultProps: { withBorder: true } },
    Card: { defaultProps: { withBorder: true } },
    Modal: { defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.6, blur: 4 } } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
  },
});

/** Keeps secondary, coloured and error text at ≥ 4.5:1 contrast in both schemes. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-red-text': 'var(--mantine-color-red-9)',
    '--mantine-color-teal-text': 'var(--mantine-color-teal-9)',
    '--mantine-color-green-text': '#1f6b2e',
    '--mantine-color-orange-text': '#a53a0a',
    '--mantine-color-yellow-text': '#7a4f00',
    '--mantine-color-yellow-light-color': '#6b4500',
    '--mantine-color-orange-light-color': '#8f3208',
    '--mantine-color-teal-light-color': '#06614a',
    '--mantine-color-green-light-color': '#1f6b2e',
    '--mantine-color-grape-text': 'var(--mantine-color-grape-8)',
    '--mantine-color-violet-text': 'var(--mantine-color-violet-8)',
    '--mantine-color-blue-text': 'var(--mantine-color-blue-9)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-body': 'var(--mantine-color-dark-8)',
    '--mantine-color-error': 'var(--mantine-color-red-5)',
    '--mantine-color-default': 'var(--mantine-color-dark-7)',
    '--mantine-color-default-border': 'var(--mantine-color-dark-5)',
    '--mantine-color-violet-text': 'var(--mantine-color-violet-3)',
  },
});
