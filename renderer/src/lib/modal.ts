// The app's in-app dialogs (confirmations, the image viewer) open and close the same way: modal, focus on their
// first choice, and focus given back to whatever opened them.

/** Opens `dialog` modally and focuses `first`; the returned cleanup closes it and restores the focus. */
export function openModal(dialog: HTMLDialogElement, first: HTMLElement | undefined): () => void {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  dialog.showModal();
  first?.focus();
  return () => {
    dialog.close();
    opener?.focus();
  };
}
