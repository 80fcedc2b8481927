import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  describeProblem,
  LONG_HEADER,
  MAX_FILE_LABEL,
  MAX_LISTED_ERRORS,
  readIndicatorUpload,
  recentIndicatorImports,
  type ImportSummary,
  type Refusal,
} from "~/risk/indicator-import.server";
import { IndicatorJobStopped, runIndicatorJobInWorker } from "~/risk/indicator-import-worker.server";
import { describeValues, listIndicators } from "~/risk/indicators.server";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { FileUploadForm, RefusedFileSummary, refusedFileError } from "~/ui/file-upload";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction = () => [{ title: "Import indicator values – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin", "programme_lead"]);
  return {
    recent: recentIndicatorImports(10),
    maxFileLabel: MAX_FILE_LABEL,
    maxListed: MAX_LISTED_ERRORS,
    longHeader: LONG_HEADER.join(","),
    indicators: listIndicators()
      .filter((i) => i.origin === "imported")
      .map((i) => ({ code: i.code, label: i.label, values: describeValues(i) })),
  };
}

type ActionResult =
  /** problems: "Line 3: …", the first MAX_LISTED_ERRORS of totalErrors. */
  | { outcome: "refused"; filename: string | null; problems: string[]; totalErrors: number }
  /** The check or import was not run to its end (too long, or another one running): nothing was changed. */
  | { outcome: "stopped"; filename: string; intent: "check" | "import"; reason: "timeout" | "busy"; message: string }
  | { outcome: "checked"; filename: string; summary: ImportSummary }
  | { outcome: "imported"; filename: string; summary: ImportSummary };

/** The check and the import run in a worker thread with a time limit, one at a time (app/risk/indicator-import-worker.server.ts). */
export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, ["admin", "programme_lead"]);
  const upload = await readIndicatorUpload(args.request);
  const refused = (refusal: Refusal, filename: string | null) =>
    data<ActionResult>(
      { outcome: "refused", filename, problems: refusal.errors.map(describeProblem), totalErrors: refusal.totalErrors },
      { status: 400 },
    );
  if ("refusal" in upload) return refused(upload.refusal, null);
  const intent = upload.intent === "import" ? "import" : "check";
  let result;
  try {
    result = await runIndicatorJobInWorker({ intent, text: upload.text, filename: upload.filename, actor: actorFor(user, args.context) });
  } catch (error) {
    if (!(error instanceof IndicatorJobStopped)) throw error;
    const message =
      error.reason === "busy"
        ? `Another indicator file is being checked or imported. Wait a minute for it to finish, then select the file again and ${intent} it.`
        : `${error.message}. Split the file into smaller files and ${intent} each, or try again when the service is less busy.`;
    return data<ActionResult>({ outcome: "stopped", filename: upload.filename, intent, reason: error.reason, message }, { status: 503 });
  }
  if ("refusal" in result) return refused(result.refusal, upload.filename);
  return data<ActionResult>({ outcome: intent === "import" ? "imported" : "checked", filename: upload.filename, summary: result.summary });
}

const number = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;

/** A table head whose numeric columns are right-aligned like their cells (GOV.UK numeric columns). */
function Head({ headings, numeric }: { headings: string[]; numeric: string[] }) {
  return (
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        {headings.map((h) => (
          <th key={h} scope="col" className={`govuk-table__header${numeric.includes(h) ? " govuk-table__header--numeric" : ""}`}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function SummaryView({ summary, done }: { summary: ImportSummary; done: boolean }) {
  return (
    <>
      <dl className="govuk-summary-list">
        <SummaryRow label="Format" value={summary.format === "long" ? "Deep Dive long format" : "NHS England DSPT snapshot"} />
        <SummaryRow label="Rows in the file" value={number(summary.rows)} />
        <SummaryRow label="Observations" value={number(summary.observations)} />
        <SummaryRow label={done ? "Added" : "New, to add"} value={number(summary.inserted)} />
        <SummaryRow label="Already recorded (left as they are)" value={number(summary.alreadyPresent)} />
        {summary.format === "dspt" ? (
          <SummaryRow
            label="Skipped: not in the register"
            value={summary.skippedUnknownTrusts > 0 ? `${summary.skippedUnknownTrusts} (${summary.skippedTrustCodes.join(", ")})` : "None"}
          />
        ) : null}
      </dl>
      {summary.observations > 0 && summary.inserted === 0 ? (
        <p className="govuk-body">
          Every observation in the file is already recorded: {done ? "nothing was added" : "an import would add nothing"}.
        </p>
      ) : null}
      {summary.earlierImports.length > 0 ? (
        <p className="govuk-body">
          This exact file was imported before: {summary.earlierImports.map((e) => `${formatDateTime(e.importedAt)} by ${e.importedBy}`).join("; ")}.
        </p>
      ) : null}
      <div className="app-table-wrapper">
        <table className="govuk-table govuk-table--small-text-until-tablet">
          <caption className="govuk-table__caption govuk-table__caption--m">{done ? "What was imported, by indicator" : "What would be imported, by indicator"}</caption>
          <Head
            headings={["Indicator", "Observations", done ? "Added" : "New", "Already recorded", "Earliest", "Latest"]}
            numeric={["Observations", "Added", "New", "Already recorded"]}
          />
          <tbody className="govuk-table__body">
            {summary.byIndicator.map((c) => (
              <tr className="govuk-table__row" key={c.code}>
                <th scope="row" className="govuk-table__header">
                  {c.label} <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{c.code}</span>
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{number(c.observations)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{number(c.added)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{number(c.alreadyPresent)}</td>
                <td className="govuk-table__cell">{formatCalendarDate(c.earliest)}</td>
                <td className="govuk-table__cell">{formatCalendarDate(c.latest)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.notes.length > 0 ? (
        <>
          <h3 className="govuk-heading-s">How the file was read</h3>
          <ul className="govuk-list govuk-list--bullet">
            {summary.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export default function ImportIndicators() {
  const { recent, maxFileLabel, maxListed, longHeader, indicators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refused = result?.outcome === "refused" ? result : null;
  const stopped = result?.outcome === "stopped" ? result : null;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {refused ? (
          <RefusedFileSummary
            refused={refused}
            plural={plural}
            description={`${refused.filename ? `${refused.filename} was` : "The file was"} not imported and nothing was changed. Correct the file and select it again.`}
            unlistedNote={` (only the first ${maxListed} are listed)`}
          />
        ) : null}
        {stopped ? (
          <ErrorSummary
            description={`${stopped.filename} was not ${stopped.intent === "import" ? "imported" : "checked"} and nothing was changed.`}
            items={[{ field: "file", text: stopped.message }]}
          />
        ) : null}
        {result?.outcome === "imported" ? (
          <NotificationBanner>
            <h3 className="govuk-notification-banner__heading">
              {result.summary.inserted > 0
                ? `${plural(result.summary.inserted, "new observation")} imported from ${result.filename}`
                : `Nothing new in ${result.filename}: every observation was already recorded`}
            </h3>
            <p className="govuk-body">
              {plural(result.summary.observations, "observation")} in the file, {number(result.summary.alreadyPresent)} already recorded
              {result.summary.skippedUnknownTrusts > 0 ? `, ${plural(result.summary.skippedUnknownTrusts, "organisation")} skipped (not in the register)` : ""}.
            </p>
          </NotificationBanner>
        ) : null}

        <h1 className="govuk-heading-l">Import indicator values</h1>
        <p className="govuk-body">
          Indicator values are kept as a history: an import adds observations and never changes or removes one. A file is checked in full
          first; if any row has a problem, nothing in it is imported. Importing the same file again adds nothing.
        </p>

        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">The two kinds of file Deep Dive reads</span>
          </summary>
          <div className="govuk-details__text">
            <h2 className="govuk-heading-s">Deep Dive&apos;s own format</h2>
            <p className="govuk-body">
              A CSV file whose first line is exactly <code>{longHeader}</code>, then one value a line: the trust&apos;s ODS code, the
              indicator code, the value, the date it was observed (yyyy-mm-dd or dd/mm/yyyy, not in the future) and where it comes from. Every
              trust must be in the register and every indicator known.
            </p>
            <h2 className="govuk-heading-s">NHS England DSPT snapshots</h2>
            <p className="govuk-body">
              A DSPT snapshot as NHS England publishes it, with a <code>Code</code> or <code>ODS Code</code> column and a <code>Status</code> column
              (other columns are ignored). Each status is dated by its Date Of Publication, else by the snapshot date in the file name
              (snapshot_YYYY-MM-DD), else 30 June at the end of its DSPT year. Organisations that are not in the register are skipped and listed.
            </p>
            <div className="app-table-wrapper">
              <table className="govuk-table govuk-table--small-text-until-tablet">
                <caption className="govuk-table__caption govuk-table__caption--s">Indicators that can be imported</caption>
                <TableHead headings={["Code", "Indicator", "Values"]} />
                <tbody className="govuk-table__body">
                  {indicators.map((i) => (
                    <tr className="govuk-table__row" key={i.code}>
                      <td className="govuk-table__cell">
                        <code>{i.code}</code>
                      </td>
                      <td className="govuk-table__cell">{i.label}</td>
                      <td className="govuk-table__cell">{i.values}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </details>

        {result?.outcome === "checked" ? (
          <>
            <h2 className="govuk-heading-m">What importing {result.filename} would add</h2>
            <p className="govuk-body">This was a check: nothing has been changed. To import the file, select it again and choose Import.</p>
            <SummaryView summary={result.summary} done={false} />
          </>
        ) : null}
        {result?.outcome === "imported" ? (
          <>
            <h2 className="govuk-heading-m">What the import added</h2>
            <SummaryView summary={result.summary} done />
          </>
        ) : null}

        <FileUploadForm
          key={result && "summary" in result ? result.summary.sha256 : "form"}
          label="Upload a CSV file of indicator values"
          hint={`A CSV file smaller than ${maxFileLabel}. Check the file first to see what an import would add.`}
          error={refused ? refusedFileError(refused, plural) : stopped ? stopped.message : undefined}
        />

        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--m">Recent imports</caption>
            <Head headings={["File", "Kind", "Rows", "Added", "By", "When"]} numeric={["Rows", "Added"]} />
            <tbody className="govuk-table__body">
              {recent.length === 0 ? (
                <tr className="govuk-table__row">
                  <td className="govuk-table__cell" colSpan={6}>
                    No indicator values have been imported yet.
                  </td>
                </tr>
              ) : (
                recent.map((r) => (
                  <tr className="govuk-table__row" key={r.id}>
                    <td className="govuk-table__cell">{r.fileName}</td>
                    <td className="govuk-table__cell">{r.format === "long" ? "Long format" : r.format === "dspt" ? "DSPT snapshot" : "Demo history"}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{number(r.rowCount)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{number(r.insertedCount)}</td>
                    <td className="govuk-table__cell">{r.importedBy}</td>
                    <td className="govuk-table__cell">{formatDateTime(r.importedAt)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
