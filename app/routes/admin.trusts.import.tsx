import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  applyOdsImport,
  describeProblem,
  isRefusal,
  lastOdsImport,
  MAX_FILE_LABEL,
  planOdsImport,
  readOdsUpload,
  type Plan,
  type Refusal,
} from "~/trusts/ods-import.server";
import { displayName, ENGLISH_REGIONS } from "~/trusts/ods";
import { ODS_FIELD_LABELS, type FieldChange, type RegisterDiff } from "~/trusts/register-diff";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { FileUploadForm, RefusedFileSummary, refusedFileError } from "~/ui/file-upload";
import { NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction = () => [{ title: "Import the trust register – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  return { lastImport: lastOdsImport(), maxFileLabel: MAX_FILE_LABEL };
}

type ActionResult =
  /** problems: "Line 3: expected 27 columns, found 26", the first few of totalErrors. */
  | { outcome: "refused"; problems: string[]; totalErrors: number }
  | { outcome: "checked"; filename: string; plan: Plan }
  | { outcome: "imported"; filename: string; plan: Plan };

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, ["admin"]);
  const upload = await readOdsUpload(args.request);
  const refused = (refusal: Refusal) =>
    data<ActionResult>({ outcome: "refused", problems: refusal.errors.map(describeProblem), totalErrors: refusal.totalErrors }, { status: 400 });
  if ("refusal" in upload) return refused(upload.refusal);
  const result =
    upload.intent === "import" ? applyOdsImport(upload.text, actorFor(user, args.context)) : planOdsImport(upload.text);
  if (isRefusal(result)) return refused(result);
  const plan: Plan = { diff: result.diff, rows: result.rows, sha256: result.sha256 };
  return data<ActionResult>({ outcome: upload.intent === "import" ? "imported" : "checked", filename: upload.filename, plan });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet">
        <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
        <TableHead headings={head} />
        <tbody className="govuk-table__body">{children}</tbody>
      </table>
    </div>
  );
}

function fieldValue(field: FieldChange["field"], value: string | null): string {
  if (value === null) return "none";
  if (field === "openedOn" || field === "closedOn") return formatCalendarDate(value);
  if (field === "regionCode") return `${ENGLISH_REGIONS[value] ?? value} (${value})`;
  return value;
}

function DiffView({ diff, rows, done }: { diff: RegisterDiff; rows: number; done: boolean }) {
  const nothing = diff.added.length === 0 && diff.changed.length === 0;
  return (
    <>
      <dl className="govuk-summary-list">
        <SummaryRow label="Trusts in the file" value={rows} />
        <SummaryRow label={done ? "Added" : "To add"} value={diff.added.length} />
        <SummaryRow label={done ? "Renamed" : "To rename"} value={diff.renamed.length} />
        <SummaryRow label={done ? "Closed" : "To close"} value={diff.closed.length} />
        <SummaryRow label={done ? "Other changes made" : "Other changes"} value={diff.updated.length} />
        <SummaryRow label="Unchanged" value={diff.unchanged} />
        <SummaryRow label="Skipped: outside England" value={diff.skippedOutsideEngland.length} />
        <SummaryRow label="In the register but not in the file" value={diff.notInFile.length} />
      </dl>
      {nothing ? <p className="govuk-body">The register already matches this file: {done ? "nothing was changed" : "an import would change nothing"}.</p> : null}
      {diff.added.length > 0 ? (
        <Table caption={done ? "Trusts added" : "Trusts to add"} head={["ODS code", "Name", "Region", "Opened", "Closed"]}>
          {diff.added.map((t) => (
            <tr className="govuk-table__row" key={t.odsCode}>
              <td className="govuk-table__cell">{t.odsCode}</td>
              <td className="govuk-table__cell">{displayName(t.odsName)}</td>
              <td className="govuk-table__cell">{ENGLISH_REGIONS[t.regionCode]}</td>
              <td className="govuk-table__cell">{formatCalendarDate(t.openedOn)}</td>
              <td className="govuk-table__cell">{formatCalendarDate(t.closedOn)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {diff.renamed.length > 0 ? (
        <Table caption={done ? "Trusts renamed" : "Trusts to rename"} head={["ODS code", "Name before", "Name in the file"]}>
          {diff.renamed.map((c) => (
            <tr className="govuk-table__row" key={c.odsCode}>
              <td className="govuk-table__cell">{c.odsCode}</td>
              <td className="govuk-table__cell">{c.before.odsName}</td>
              <td className="govuk-table__cell">{c.after.odsName}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {diff.closed.length > 0 ? (
        <Table caption={done ? "Trusts closed" : "Trusts to mark as closed"} head={["ODS code", "Name", "Close date"]}>
          {diff.closed.map((c) => (
            <tr className="govuk-table__row" key={c.odsCode}>
              <td className="govuk-table__cell">{c.odsCode}</td>
              <td className="govuk-table__cell">{c.name}</td>
              <td className="govuk-table__cell">{formatCalendarDate(c.after.closedOn)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {diff.updated.length > 0 ? (
        <Table caption={done ? "Other changes made" : "Other changes"} head={["ODS code", "Name", "Changes"]}>
          {diff.updated.map((c) => (
            <tr className="govuk-table__row" key={c.odsCode}>
              <td className="govuk-table__cell">{c.odsCode}</td>
              <td className="govuk-table__cell">{c.name}</td>
              <td className="govuk-table__cell">
                <ul className="govuk-list">
                  {c.otherChanges.map((change) => (
                    <li key={change.field}>
                      {ODS_FIELD_LABELS[change.field]}: {fieldValue(change.field, change.from)} to {fieldValue(change.field, change.to)}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {diff.skippedOutsideEngland.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Skipped: outside England</h2>
          <p className="govuk-body">
            {plural(diff.skippedOutsideEngland.length, "trust")} in the file {diff.skippedOutsideEngland.length === 1 ? "is" : "are"} not in an NHS England
            region, so CQC does not inspect {diff.skippedOutsideEngland.length === 1 ? "it" : "them"}: {diff.skippedOutsideEngland.join(", ")}.
          </p>
        </>
      ) : null}
      {diff.notInFile.length > 0 ? (
        <Table caption="In the register but not in the file (kept, not deleted)" head={["ODS code", "Name", "Status in the register"]}>
          {diff.notInFile.map((t) => (
            <tr className="govuk-table__row" key={t.odsCode}>
              <td className="govuk-table__cell">{t.odsCode}</td>
              <td className="govuk-table__cell">{t.name}</td>
              <td className="govuk-table__cell">
                {t.closedOn ? `Closed on ${formatCalendarDate(t.closedOn)}` : "Open"}
                {t.reason === "outside-england" ? " (the file lists it outside England)" : ""}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}

export default function ImportRegister() {
  const { lastImport, maxFileLabel } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refused = result?.outcome === "refused" ? result : null;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {refused ? (
          <RefusedFileSummary
            refused={refused}
            plural={plural}
            description="The file was not imported and nothing was changed. Correct the file and select it again."
          />
        ) : null}
        {result?.outcome === "imported" ? (
          <NotificationBanner>
            <h3 className="govuk-notification-banner__heading">The register was updated from {result.filename}</h3>
            <p className="govuk-body">
              {plural(result.plan.diff.added.length, "trust")} added, {result.plan.diff.renamed.length} renamed, {result.plan.diff.closed.length} closed,{" "}
              {plural(result.plan.diff.updated.length, "other change")}, {result.plan.diff.unchanged} unchanged.
            </p>
          </NotificationBanner>
        ) : null}

        <h1 className="govuk-heading-l">Import the trust register</h1>
        <p className="govuk-body">
          The register of NHS trusts is refreshed from the NHS Digital Organisation Data Service (ODS) file of NHS trusts, etr.csv. Download etr.zip
          from the ODS data downloads, unzip it and upload etr.csv as it is: no header row, 27 columns.
        </p>
        <p className="govuk-body">
          An import adds new trusts, updates the names, addresses and other ODS details of known trusts, and records closures. It keeps each
          trust&apos;s type, EPR supplier, location and major trauma centres, and never deletes a trust. Trusts outside England are skipped.
        </p>
        <p className="govuk-body">
          {lastImport
            ? `Last imported ${formatDateTime(lastImport.occurredAt)} by ${lastImport.actorLabel}.`
            : "The register has not been imported from an ODS file yet: it holds the reference data the service started with."}
        </p>

        {result?.outcome === "checked" ? (
          <>
            <h2 className="govuk-heading-m">What importing {result.filename} would change</h2>
            <p className="govuk-body">This was a check: nothing has been changed. To import the file, select it again and choose Import.</p>
            <DiffView diff={result.plan.diff} rows={result.plan.rows} done={false} />
          </>
        ) : null}
        {result?.outcome === "imported" ? (
          <>
            <h2 className="govuk-heading-m">What the import changed</h2>
            <DiffView diff={result.plan.diff} rows={result.plan.rows} done />
          </>
        ) : null}

        <FileUploadForm
          key={result && result.outcome !== "refused" ? result.plan.sha256 : "form"}
          label="Upload the ODS etr.csv file"
          hint={`A CSV file smaller than ${maxFileLabel}. Check the file first to see what an import would change.`}
          error={refused ? refusedFileError(refused, plural) : undefined}
        />
      </div>
    </div>
  );
}
