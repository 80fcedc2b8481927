import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  describeFrameworkProblem,
  FrameworkFileError,
  listFrameworkVersions,
  loadFrameworkFile,
  MAX_FRAMEWORK_FILE_LABEL,
  readFrameworkUpload,
  type FrameworkLoadReport,
  type FrameworkProblem,
} from "~/baseline/frameworks.server";
import { formatDateTime } from "~/ui/dates";
import { FileUploadForm, RefusedFileSummary, refusedFileError } from "~/ui/file-upload";
import { NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Baseline frameworks – Deep Dive" }];

/** At most this many problems are listed on the page; the total is always given (the command line lists them all). */
const MAX_LISTED_PROBLEMS = 100;

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  return { versions: listFrameworkVersions(), maxFileLabel: MAX_FRAMEWORK_FILE_LABEL, maxListed: MAX_LISTED_PROBLEMS };
}

type ActionResult =
  /** problems: "sections[0].id: …", the first MAX_LISTED_PROBLEMS of totalErrors. */
  | { outcome: "refused"; filename: string | null; problems: string[]; totalErrors: number }
  | { outcome: "loaded" | "already-loaded"; filename: string; report: FrameworkLoadReport };

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const upload = await readFrameworkUpload(args.request);
  const refused = (problems: FrameworkProblem[], filename: string | null) =>
    data<ActionResult>(
      {
        outcome: "refused",
        filename,
        // Said of the file the admin selected.
        problems: problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => describeFrameworkProblem(p).replace(/^The file/, "The selected file")),
        totalErrors: problems.length,
      },
      { status: 400 },
    );
  if ("problems" in upload) return refused(upload.problems, upload.fileName);
  try {
    const report = loadFrameworkFile(upload.bytes, upload.fileName, actorFor(admin, args.context));
    return data<ActionResult>({ outcome: report.status === "loaded" ? "loaded" : "already-loaded", filename: upload.fileName, report });
  } catch (error) {
    if (error instanceof FrameworkFileError) return refused(error.problems, upload.fileName);
    throw error;
  }
}

const number = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;

function contents(r: { sections: number; criteria: number; indicators: number }) {
  return `${plural(r.sections, "section")}, ${plural(r.criteria, "criterion", "criteria")} and ${plural(r.indicators, "indicator")} of good practice`;
}

export default function AdminFrameworks() {
  const { versions, maxFileLabel, maxListed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refused = result?.outcome === "refused" ? result : null;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {refused ? (
          <RefusedFileSummary
            refused={refused}
            plural={plural}
            description={`${refused.filename ? `${refused.filename} was` : "The file was"} not loaded and nothing was changed. Correct the file and select it again.`}
            unlistedNote={` (only the first ${maxListed} are listed)`}
          />
        ) : null}
        {result?.outcome === "loaded" ? (
          <NotificationBanner>
            <h3 className="govuk-notification-banner__heading">
              {result.report.title} ({result.report.framework} {result.report.version}) loaded from {result.filename}
            </h3>
            <p className="govuk-body">
              {contents(result.report)}; {plural(result.report.profiles, "profile")} with {plural(result.report.minimums, "minimum")}.{" "}
              <Link className="govuk-notification-banner__link" to={`/frameworks/${result.report.id}`}>
                See the framework
              </Link>
            </p>
          </NotificationBanner>
        ) : null}
        {result?.outcome === "already-loaded" ? (
          <NotificationBanner title="Important" success={false}>
            <h3 className="govuk-notification-banner__heading">
              {result.report.framework} {result.report.version} is already loaded: nothing was changed
            </h3>
            <p className="govuk-body">
              {result.filename} holds the same content as the version loaded {formatDateTime(result.report.loadedAt)} by {result.report.loadedBy}.{" "}
              <Link className="govuk-notification-banner__link" to={`/frameworks/${result.report.id}`}>
                See the framework
              </Link>
            </p>
          </NotificationBanner>
        ) : null}

        <h1 className="govuk-heading-l">Baseline frameworks</h1>
        <p className="govuk-body">
          Inspections rate trusts against baseline frameworks, such as the Cyber Assessment Framework (CAF) and Cyber Essentials Plus. Each
          version of a framework is loaded from a framework file and never changes once loaded: new wording or new minimums need a new
          version. The versions shipped with Deep Dive are loaded when it starts.
        </p>

        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">What a framework file holds</span>
          </summary>
          <div className="govuk-details__text">
            <p className="govuk-body">
              A framework file is a JSON file, saved as UTF-8, whose <code>format</code> is <code>deep-dive-framework/1</code>. It names the{" "}
              <code>framework</code> (such as <code>caf</code>) and its <code>version</code> (such as <code>3.2</code>), with a title and the
              source of the wording.
            </p>
            <ul className="govuk-list govuk-list--bullet">
              <li>
                <code>sections</code>: a tree of sections (objectives, principles, themes), each with its own sections, its criteria, or both.
              </li>
              <li>
                Each criterion has an id, a title, a scale (<code>caf</code>: achieved, partially achieved or not achieved; or <code>met</code>:
                met or not met), what good looks like, the evidence to seek, and its indicators of good practice, each at a level.
              </li>
              <li>
                <code>profiles</code>: the minimum rating each criterion needs for a trust to be good, by criterion id.
              </li>
            </ul>
            <p className="govuk-body">
              Every id is used once in the file. The whole file is checked before anything is loaded: a file with any problem loads nothing,
              and every problem is listed with where it is in the file, such as <code>sections[0].criteria[2].title</code>. The format is
              described in full in <code>docs/frameworks.md</code> in the Deep Dive project. The command <code>npm run frameworks:import</code>{" "}
              loads a file in the same way.
            </p>
          </div>
        </details>

        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet" id="framework-versions">
            <caption className="govuk-table__caption govuk-table__caption--m">Loaded framework versions</caption>
            <TableHead headings={["Framework", "Version", "Contents", "Profiles", "Loaded"]} />
            <tbody className="govuk-table__body">
              {versions.length === 0 ? (
                <tr className="govuk-table__row">
                  <td className="govuk-table__cell" colSpan={5}>
                    No framework has been loaded yet.
                  </td>
                </tr>
              ) : (
                versions.map((v) => (
                  <tr className="govuk-table__row" key={v.id}>
                    <th scope="row" className="govuk-table__header">
                      <Link className="govuk-link" to={`/frameworks/${v.id}`}>
                        {v.title}
                      </Link>
                      <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{v.framework}</span>
                    </th>
                    <td className="govuk-table__cell">{v.version}</td>
                    <td className="govuk-table__cell">{contents(v)}</td>
                    <td className="govuk-table__cell">
                      {v.profiles.length === 0 ? (
                        "None"
                      ) : (
                        <ul className="govuk-list govuk-!-margin-bottom-0">
                          {v.profiles.map((p) => (
                            <li key={p.id}>
                              {p.name} (version {p.version})
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className="govuk-table__cell">
                      {formatDateTime(v.loadedAt)} by {v.loadedBy}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>

        <FileUploadForm
          key={result && result.outcome !== "refused" ? result.report.sha256 : "form"}
          label="Load a framework file"
          accept=".json,application/json"
          buttons={[{ intent: "load", text: "Load the framework" }]}
          hint={`A framework file (.json) smaller than ${maxFileLabel}.`}
          error={refused ? refusedFileError(refused, plural) : undefined}
        />
      </div>
    </div>
  );
}
