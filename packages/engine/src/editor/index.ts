// Public surface of the video editor: edit list types and validation, the graph compiler, render and preview.
export * from './types.js';
export { validateEditList } from './validate.js';
export { EDIT_FILTERS, EDIT_FILTER_NAMES } from './filters.js';
export { EDIT_FONTS, EDIT_COLOR_NAMES, DEFAULT_FONT } from './text-style.js';
export { compileEdit, type CompileEditInput, type CompiledEdit } from './compile.js';
export type { EditSourceInfo } from './pieces.js';
export { renderEdit } from './render.js';
export { renderEditPreview } from './preview.js';
export { editedDuration } from './duration.js';
