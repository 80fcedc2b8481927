/**
 * The section page with no connection (issue 7): each criterion's Save keeps its form in the outbox, as the criterion
 * page's autosave does, when the inspection was prepared for offline use; its status says so; and after a reload with
 * no connection (the prepared copy) each form gets back the edits still waiting for its finding. Online, the forms
 * post as they always do. Browser only.
 */
import { useEffect, useState, type FormEvent } from "react";
import { londonTime } from "~/inspections/autosave";
import { keepEdit, waitingFields } from "./offline-runtime";
import { preparedRecord } from "./prepare";
import { fillForm } from "./waiting-fields";

export interface SectionForm {
  criterionId: number;
  findingId: string;
  /** The form's element id. */
  formId: string;
}

export function useSectionOffline(inspectionId: string, enabled: boolean, forms: readonly SectionForm[]) {
  const [keptAt, setKeptAt] = useState<Record<number, string>>({});
  const formKey = forms.map((f) => f.findingId).join(",");

  useEffect(() => {
    if (!enabled || navigator.onLine || !preparedRecord(inspectionId)) return;
    for (const { findingId, formId } of forms) {
      void waitingFields(findingId).then((fields) => {
        const form = document.getElementById(formId);
        if (fields && form instanceof HTMLFormElement) fillForm(form, fields);
      });
    }
    // The forms of this page, by their findings: refilled when the page shows other findings.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, inspectionId, formKey]);

  /** The Save of one criterion's form: kept on the laptop with no connection, posted as usual otherwise. */
  const onSubmitFor = (criterionId: number, findingId: string, baseVersion: number) => (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    // A merge is done on the page with the server's version: not something to keep for later.
    if (!enabled || navigator.onLine || !preparedRecord(inspectionId) || submitter?.getAttribute("name") === "intent") return;
    event.preventDefault();
    const fields = [...new FormData(event.currentTarget).entries()].filter((e): e is [string, string] => typeof e[1] === "string");
    void keepEdit({ inspectionId, findingId, criterionId, baseVersion, fields }).then(() => setKeptAt((kept) => ({ ...kept, [criterionId]: new Date().toISOString() })));
  };

  const statusFor = (criterionId: number) =>
    keptAt[criterionId] ? (
      <p className="govuk-body" role="status" id={`kept-status-${criterionId}`}>
        {`Kept on this laptop ${londonTime(keptAt[criterionId])}: it will be sent when the connection is back`}
      </p>
    ) : null;

  return { onSubmitFor, statusFor };
}
