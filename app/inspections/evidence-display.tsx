/**
 * The "Evidence files" section of the criterion page: the finding's files (each a download), and for the team while
 * recording, Remove buttons and the upload form. Both are plain HTML forms posting to /inspections/:id/evidence (not
 * inside the finding form, which they must not submit), which sends the browser back here with `?evidence=` saying
 * what happened; they work the same with JavaScript off. With JavaScript, the upload also sends the file's
 * last-modified time as its capture time; and with no connection, on an inspection prepared for offline use, the file
 * is kept on the laptop (app/offline) within the same limits, listed here, and sent when the connection is back.
 */
import { useSearchParams } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { keepEvidence, keptFilesOf } from "~/offline/offline-runtime";
import type { EvidenceEntry } from "~/offline/outbox";
import { preparedRecord } from "~/offline/prepare";
import { useOutboxValue } from "~/offline/use-outbox-value";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";
import type { EvidenceFileView } from "./evidence.server";
import { EVIDENCE_ACCEPT, EVIDENCE_HINT, EVIDENCE_REFUSALS, evidenceNotice, evidenceTypeLabel, formatFileSize, MAX_EVIDENCE_BYTES, MAX_FILES_PER_FINDING } from "./evidence-rules";

/** Puts the chosen file's last-modified time in the hidden capturedAt field just before the form is sent. */
function sendCaptureTime(event: FormEvent<HTMLFormElement>) {
  const form = event.currentTarget;
  const input = form.elements.namedItem("file");
  const captured = form.elements.namedItem("capturedAt");
  if (input instanceof HTMLInputElement && captured instanceof HTMLInputElement) {
    const file = input.files?.[0];
    captured.value = file ? String(file.lastModified) : "";
  }
}

export function EvidenceFiles({
  inspectionId,
  findingId,
  criterionId,
  files,
  canChange,
}: {
  inspectionId: string;
  findingId: string;
  criterionId: number;
  files: EvidenceFileView[];
  /** The team, while findings are recorded: Remove buttons and the upload form. */
  canChange: boolean;
}) {
  const [searchParams] = useSearchParams();
  const notice = evidenceNotice(searchParams.get("evidence"));
  const action = `/inspections/${inspectionId}/evidence`;
  const [prepared, setPrepared] = useState(false);
  useEffect(() => setPrepared(canChange && preparedRecord(inspectionId) !== null), [canChange, inspectionId]);
  // The files kept on this laptop for the finding, kept current as the outbox changes (only once offline use began).
  const kept = useOutboxValue<EvidenceEntry[]>(() => keptFilesOf(findingId), [], findingId, prepared);
  const keptWaiting = kept.filter((entry) => entry.state === "waiting");
  const [keptError, setKeptError] = useState<string | null>(null);
  const full = files.length + keptWaiting.length >= MAX_FILES_PER_FINDING;
  // A refusal is shown at the file field when there is one; otherwise (the findings were submitted meanwhile) as text.
  const fieldError = keptError ?? (notice?.kind === "error" && canChange && !full ? notice.text : undefined);

  /** With no connection on a prepared inspection: keep the file on the laptop, checked as the server would first. */
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    sendCaptureTime(event);
    if (navigator.onLine || !prepared) return;
    event.preventDefault();
    const form = event.currentTarget;
    const input = form.elements.namedItem("file");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    const refusal = !file ? EVIDENCE_REFUSALS.missing : file.size === 0 ? EVIDENCE_REFUSALS.empty : file.size > MAX_EVIDENCE_BYTES ? EVIDENCE_REFUSALS["too-big"] : null;
    setKeptError(refusal);
    if (!file || refusal) return;
    void keepEvidence({ inspectionId, findingId, criterionId, name: file.name, file, capturedAt: String(file.lastModified) }).then(
      () => form.reset(),
      () => setKeptError("The file could not be kept on this laptop: try again, or add it when the connection is back"),
    );
  };
  return (
    <section id="evidence" aria-labelledby="evidence-heading" className="govuk-!-margin-top-6 govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-m" id="evidence-heading">
        Evidence files
      </h2>
      {notice?.kind === "success" ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{notice.text}</p>
        </NotificationBanner>
      ) : null}
      {fieldError ? <ErrorSummary errors={{ "evidence-file": fieldError }} /> : null}
      {notice?.kind === "error" && !fieldError ? (
        <div className="govuk-inset-text" role="alert">
          {notice.text}
        </div>
      ) : null}
      {files.length === 0 ? (
        <p className="govuk-body">No evidence files have been added to this finding.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Evidence files of this finding</caption>
          <TableHead headings={["File", "Captured", "Added by", ...(canChange ? [{ hidden: "Remove" }] : [])]} />
          <tbody className="govuk-table__body">
            {files.map((file) => (
              <tr className="govuk-table__row" key={file.id}>
                <td className="govuk-table__cell">
                  {/* A file, not a page of the app: a plain link, never a client-side navigation. */}
                  <a className="govuk-link" href={`/inspections/${inspectionId}/evidence/${file.id}`}>
                    {file.name}
                  </a>
                  <br />
                  <span className="govuk-body-s govuk-!-margin-0">{`${evidenceTypeLabel(file.mediaType)}, ${formatFileSize(file.sizeBytes)}`}</span>
                </td>
                <td className="govuk-table__cell">
                  {formatDateTime(file.capturedAt)}
                  {file.capturedByDevice ? null : (
                    <>
                      <br />
                      <span className="govuk-body-s">when uploaded (the device gave no time)</span>
                    </>
                  )}
                </td>
                <td className="govuk-table__cell">{file.uploadedByName}</td>
                {canChange ? (
                  <td className="govuk-table__cell">
                    <form method="post" action={action} className="govuk-!-margin-0">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="fileId" value={file.id} />
                      <button type="submit" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">
                        Remove<span className="govuk-visually-hidden">{` ${file.name}`}</span>
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kept.length > 0 ? (
        <>
          <h3 className="govuk-heading-s" id="kept-files-heading">
            Kept on this laptop
          </h3>
          <ul className="govuk-list govuk-list--bullet" aria-labelledby="kept-files-heading" id="kept-files">
            {kept.map((entry) => (
              <li key={entry.seq}>
                {`${entry.name}, ${formatFileSize(entry.sizeBytes)}: ${entry.state === "waiting" ? "to be sent when the connection is back" : `not added (${entry.lastError ?? "refused"})`}`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canChange && full ? <p className="govuk-body">{`This finding has ${MAX_FILES_PER_FINDING} evidence files, the most it can have: remove one to add another.`}</p> : null}
      {canChange && !full ? (
        // The hidden fields come before the file: the server reads them first, and still knows the finding when the
        // file turns out too big.
        <form method="post" encType="multipart/form-data" action={action} noValidate id="evidence-form" onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="upload" />
          <input type="hidden" name="findingId" value={findingId} />
          <input type="hidden" name="capturedAt" defaultValue="" />
          <div className={`govuk-form-group${fieldError ? " govuk-form-group--error" : ""}`}>
            <label className="govuk-label govuk-label--s" htmlFor="evidence-file">
              Add an evidence file
            </label>
            <div id="evidence-file-hint" className="govuk-hint">
              {EVIDENCE_HINT}
            </div>
            {fieldError ? (
              <p id="evidence-file-error" className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {fieldError}
              </p>
            ) : null}
            <input
              className={`govuk-file-upload${fieldError ? " govuk-file-upload--error" : ""}`}
              id="evidence-file"
              name="file"
              type="file"
              accept={EVIDENCE_ACCEPT}
              aria-describedby={fieldError ? "evidence-file-hint evidence-file-error" : "evidence-file-hint"}
            />
          </div>
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Upload the file
          </button>
        </form>
      ) : null}
    </section>
  );
}
