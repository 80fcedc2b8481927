/** The "Actions" part of the trust portal's home page: the trust's action plan, to do and done, and its CSV export. */
import { ActionsTable, type ActionRowData } from "./actions-display";

const plural = (n: number, word: string) => `${n.toLocaleString("en-GB")} ${word}${n === 1 ? "" : "s"}`;

export function PortalActions({ actions }: { actions: readonly ActionRowData[] }) {
  const toDo = actions.filter((a) => a.status !== "done");
  const done = actions.filter((a) => a.status === "done");
  const overdue = toDo.filter((a) => a.overdue).length;
  return (
    <section aria-labelledby="actions-heading">
      <h2 className="govuk-heading-m" id="actions-heading">
        Actions
      </h2>
      {actions.length === 0 ? (
        <p className="govuk-body">There are no actions for your trust to update.</p>
      ) : (
        <>
          <p className="govuk-body">
            Each gap in a published report is an action for your trust. Open an action to record your progress: its status, a note and the date. An action
            not done is overdue once a working day has passed after its due date (weekends and bank holidays do not count).
          </p>
          <p className="govuk-body" id="actions-summary">
            {plural(toDo.length, "action")} to do{overdue > 0 ? `, ${overdue.toLocaleString("en-GB")} overdue` : ""}; {done.length.toLocaleString("en-GB")} done.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/portal/actions.csv" download>
              Download the action plan (CSV, opens in Excel)
            </a>
          </p>
          {toDo.length > 0 ? <ActionsTable caption="To do" actions={toDo} href={(id) => `/portal/actions/${id}`} /> : <p className="govuk-body">Every action is done.</p>}
          {done.length > 0 ? <ActionsTable caption="Done" actions={done} href={(id) => `/portal/actions/${id}`} /> : null}
        </>
      )}
    </section>
  );
}
