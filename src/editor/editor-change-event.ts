/**
 * `<ll-editor>` fires this (bubbling) when a file's text changes or a file is added. Its
 * own module, so a page can listen without loading the editor's code.
 */
export const EDITOR_CHANGE_EVENT = 'll-editor-change';
