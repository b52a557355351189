// The candidate's editor: CodeMirror 6 with the languages exercises use, exposed to the page's
// own script (static/vetta/candidate.js) as the global `VettaEditor`.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { indentUnit } from "@codemirror/language";
import { indentWithTab } from "@codemirror/commands";
import { keymap } from "@codemirror/view";
import { python } from "@codemirror/lang-python";
import { json } from "@codemirror/lang-json";
import { markdown } from "@codemirror/lang-markdown";
import { yaml } from "@codemirror/lang-yaml";
import { sql } from "@codemirror/lang-sql";

function languageFor(path) {
  const name = path.toLowerCase();
  if (name.endsWith(".py")) return python();
  if (name.endsWith(".json") || name.endsWith(".jsonl")) return json();
  if (name.endsWith(".md")) return markdown();
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return yaml();
  if (name.endsWith(".sql")) return sql();
  return [];
}

const theme = EditorView.theme({
  "&": { fontSize: "0.95rem", border: "1px solid #6e7781", borderRadius: "6px", background: "#fff" },
  "&.cm-focused": { outline: "3px solid #ffbf47", outlineOffset: "2px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", minHeight: "24rem", maxHeight: "70vh" },
  ".cm-gutters": { background: "#f4f6f8", color: "#4f5863", borderRight: "1px solid #d0d7de" },
});

/**
 * Creates an editor in `parent`.
 * options: { doc, path, readOnly, label, onChange(text) }
 * Returns { view, getValue(), setValue(text), setReadOnly(flag), focus() }.
 */
export function create(parent, options) {
  const editable = new Compartment();
  const readOnlyState = (flag) => [EditorState.readOnly.of(flag), EditorView.editable.of(!flag)];
  const extensions = [
    basicSetup,
    keymap.of([indentWithTab]),
    indentUnit.of("    "),
    languageFor(options.path || ""),
    theme,
    editable.of(readOnlyState(!!options.readOnly)),
    EditorView.contentAttributes.of({ "aria-label": options.label || options.path || "Editor" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
    }),
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: options.doc || "", extensions }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setReadOnly(flag) {
      view.dispatch({ effects: editable.reconfigure(readOnlyState(flag)) });
    },
    focus: () => view.focus(),
  };
}
