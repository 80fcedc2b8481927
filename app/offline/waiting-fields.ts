/**
 * Puts the fields an outbox entry keeps for a finding back into its form: after a reload with no connection the page
 * comes from the prepared copy, which has the finding as it was when prepared, while the inspector's newer edits wait
 * in the outbox. Browser only.
 */
export function fillForm(form: HTMLFormElement, fields: readonly [string, string][]): void {
  // Boxes the kept form had unticked are absent from it: untick every box of the form first.
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLInputElement && element.type === "checkbox") element.checked = false;
  }
  for (const [name, value] of fields) {
    const item = form.elements.namedItem(name);
    if (item instanceof RadioNodeList) {
      // Radios of one question, or boxes sharing a name: tick the one with this value (boxes keep earlier ticks).
      for (const node of Array.from(item)) {
        if (!(node instanceof HTMLInputElement)) continue;
        if (node.type === "radio") node.checked = node.value === value;
        else if (node.type === "checkbox") node.checked ||= node.value === value;
      }
    } else if (item instanceof HTMLInputElement && (item.type === "checkbox" || item.type === "radio")) {
      item.checked = item.value === value;
    } else if (item instanceof HTMLInputElement || item instanceof HTMLTextAreaElement || item instanceof HTMLSelectElement) {
      if (item.type !== "hidden") item.value = value;
    }
  }
}
