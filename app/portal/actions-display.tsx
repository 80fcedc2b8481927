/** How actions are shown, the same in the trust portal and on the staff pages (GOV.UK tables and tags). */
import { Link } from "@remix-run/react";
import { SEVERITY_LABELS, type Severity } from "../baseline/rating";
import { formatCalendarDate, formatDateTime } from "../ui/dates";
import { TableHead } from "../ui/table";
import { ACTION_STATUS_LABELS, ACTION_STATUS_TAGS, overdueText, type ActionStatus } from "./action-rules";

const SEVERITY_TAGS: Record<Severity, string> = { critical: "govuk-tag--red", high: "govuk-tag--orange", medium: "govuk-tag--yellow", low: "govuk-tag--grey" };

export function SeverityTag({ severity }: { severity: Severity }) {
  return <strong className={`govuk-tag ${SEVERITY_TAGS[severity]}`}>{SEVERITY_LABELS[severity]}</strong>;
}

export function ActionStatusTag({ status }: { status: ActionStatus }) {
  return <strong className={`govuk-tag ${ACTION_STATUS_TAGS[status]}`}>{ACTION_STATUS_LABELS[status]}</strong>;
}

/** "Overdue by N working days", as a red tag (nothing when the action is not overdue). */
export function OverdueTag({ overdue, workingDays }: { overdue: boolean; workingDays: number }) {
  return overdue ? <strong className="govuk-tag govuk-tag--red">{overdueText(workingDays)}</strong> : null;
}

/** An action as the tables need it (ActionListItem, as serialised by a loader). */
export interface ActionRowData {
  id: string;
  text: string;
  criterionCode: string;
  criterionTitle: string;
  severity: Severity;
  dueOn: string;
  status: ActionStatus;
  overdue: boolean;
  overdueWorkingDays: number;
  lastUpdateOn: string | null;
  lastNote: string;
}

/**
 * A table of actions: criterion, action, severity, due date and status (with the overdue tag). `href` links each
 * action to its page; `showLastNote` shows the latest progress note under each action.
 */
export function ActionsTable({ caption, actions, href, showLastNote = false }: { caption: string; actions: readonly ActionRowData[]; href?: (id: string) => string; showLastNote?: boolean }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet">
        <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
        <TableHead headings={["Criterion", "Action", "Severity", "Due", "Status"]} />
        <tbody className="govuk-table__body">
          {actions.map((a) => (
            <tr className="govuk-table__row" key={a.id} id={`action-${a.id}`}>
              <td className="govuk-table__cell">
                <strong>{a.criterionCode}</strong> {a.criterionTitle}
              </td>
              <td className="govuk-table__cell app-preserve-lines">
                {href ? (
                  <Link className="govuk-link" to={href(a.id)}>
                    {a.text}
                  </Link>
                ) : (
                  a.text
                )}
                {showLastNote && a.lastNote ? (
                  <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                    Latest note{a.lastUpdateOn ? ` (${formatCalendarDate(a.lastUpdateOn)})` : ""}: {a.lastNote}
                  </p>
                ) : null}
              </td>
              <td className="govuk-table__cell">
                <SeverityTag severity={a.severity} />
              </td>
              <td className="govuk-table__cell">{formatCalendarDate(a.dueOn)}</td>
              <td className="govuk-table__cell">
                <ActionStatusTag status={a.status} />
                {a.overdue ? (
                  <>
                    {" "}
                    <OverdueTag overdue={a.overdue} workingDays={a.overdueWorkingDays} />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An action's updates, newest first (GOV.UK summary of who, when, status, progress date and note). */
export function ActionHistory({ history }: { history: readonly { id: string; status: ActionStatus; note: string; progressOn: string | null; byName: string; createdAt: string }[] }) {
  if (history.length === 0) return <p className="govuk-body">No updates yet.</p>;
  return (
    <ol className="govuk-list">
      {history.map((u) => (
        <li key={u.id} className="govuk-!-margin-bottom-4">
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
            <ActionStatusTag status={u.status} /> {formatDateTime(u.createdAt)}, by {u.byName}
          </p>
          {u.progressOn ? <p className="govuk-body-s govuk-!-margin-bottom-1">Progress made on {formatCalendarDate(u.progressOn)}</p> : null}
          {u.note ? <p className="govuk-body app-preserve-lines govuk-!-margin-bottom-0">{u.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
