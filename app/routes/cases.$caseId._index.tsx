import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { getCaseOverview } from "../cases/cases.server.ts";
import { storyAndNumber } from "../links/overview.server.ts";
import { observationText } from "../links/format.ts";
import { indicatorLabel } from "../indicators/format.ts";
import { sortAreas, useFormatDate } from "../cases/format.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { KeptTheirs, keptFields } from "../components/changed-meanwhile.tsx";
import { CASE_FORM_FIELDS, caseFieldLabel } from "../cases/case-fields.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const overview = await getCaseOverview(grant, params.caseId ?? "");
  // Passages that disagree with the register, and open proposals: for those who see the timeline.
  const story = hasPermission(grant.user, "read", "timeline") ? await storyAndNumber(grant, overview.id) : null;
  return json({ overview, story });
}

export default function CaseOverview() {
  const { overview: c, story } = useLoaderData<typeof loader>();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const [searchParams] = useSearchParams();
  const kept = keptFields(searchParams.get("kept"), CASE_FORM_FIELDS).map((f) => t(caseFieldLabel(f)));
  return (
    <>
      <KeptTheirs labels={kept} />
      <div className="grid-2">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("overview.facts")}</h2>
          <dl className="facts">
            <dt>{t("fields.group")}</dt>
            <dd>{t(`groups.${c.group}`)}</dd>
            <dt>{t("fields.imStart")}</dt>
            <dd>{formatDate(c.imStart)}</dd>
            <dt>{t("fields.status")}</dt>
            <dd>{t(`statuses.${c.status}`)}</dd>
            {c.status === "archived" ? (
              <>
                <dt>{t("fields.archiveReason")}</dt>
                <dd>{c.archiveReason ? t(`archiveReasons.${c.archiveReason}`) : tc("none")}</dd>
                <dt>{t("fields.archivedAt")}</dt>
                <dd>{c.archivedAt ? formatDate(c.archivedAt) : tc("none")}</dd>
              </>
            ) : null}
          </dl>
        </section>

        <section className="card" aria-labelledby="household-title">
          <h2 id="household-title">{t("overview.household")}</h2>
          {c.householdMembers.length ? (
            <ul>
              {c.householdMembers.map((m) => (
                <li key={m.id}>
                  <Link to={`/cases/${m.id}`}>{m.pseudonym}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("overview.noHousehold")}</p>
          )}
        </section>

        <section className="card" aria-labelledby="contacts-title">
          <h2 id="contacts-title">{t("overview.lastContacts")}</h2>
          {c.contacts.length ? (
            <table>
              <caption className="visually-hidden">{t("overview.lastContacts")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("contacts.date")}</th>
                  <th scope="col">{t("contacts.kind")}</th>
                  <th scope="col" className="num">
                    {t("contacts.duration")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.contacts.map((k) => (
                  <tr key={k.id}>
                    <td>{formatDate(k.date)}</td>
                    <td>{t(`contactKinds.${k.kind}`)}</td>
                    <td className="num">{t("contacts.minutes", { count: k.durationMinutes })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t("contacts.none")}</p>
          )}
          <p>
            <Link to={`/cases/${c.id}/contacts`}>{t("overview.allContacts", { count: c.contactCount })}</Link>
          </p>
        </section>

        <section className="card" aria-labelledby="plan-title">
          <h2 id="plan-title">{t("overview.currentPlan")}</h2>
          {c.currentPlan ? (
            <>
              <p>{t("plans.drawnUpOn", { date: formatDate(c.currentPlan.drawnUpAt) })}</p>
              <dl className="facts">
                {sortAreas(c.currentPlan.areas).map((a) => (
                  <Fragment key={a.area}>
                    <dt>{t(`planAreas.${a.area}`)}</dt>
                    <dd>{t(`planStatuses.${a.status}`)}</dd>
                  </Fragment>
                ))}
              </dl>
            </>
          ) : (
            <p className="muted">{t("plans.none")}</p>
          )}
          <p>
            <Link to={`/cases/${c.id}/plans`}>{t("overview.allPlans")}</Link>
          </p>
        </section>

        {story && (story.contradictions.length || story.openProposals) ? <StoryAndNumber caseId={c.id} story={story} /> : null}
      </div>
    </>
  );
}

type Story = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["story"]>;

function StoryAndNumber({ caseId, story }: { caseId: string; story: Story }) {
  const { t, i18n } = useTranslation("cases");
  const lang = i18n.language;
  const formatDate = useFormatDate();
  return (
    <section className="card story-number" aria-labelledby="story-title">
      <h2 id="story-title">{t("storyNumber.title")}</h2>
      {story.contradictions.length ? (
        <>
          <p className="contradiction-summary">{t("storyNumber.contradictions", { count: story.contradictions.length })}</p>
          <ul>
            {story.contradictions.map((k) => (
              <li key={k.linkId}>
                <Link to={`/cases/${caseId}/timeline#passage-${k.linkId}`}>{indicatorLabel(k.indicator, lang)}</Link>:{" "}
                {t("storyNumber.contradiction", {
                  story: observationText(t, k.indicator, k.story.state, k.story.value, lang),
                  storyDate: formatDate(k.story.date),
                  register: observationText(t, k.indicator, k.register.state, k.register.value, lang),
                  registerDate: formatDate(k.register.observedAt),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {story.openProposals ? (
        <p>
          <Link to={`/cases/${caseId}/timeline?kind=passage`}>{t("storyNumber.openProposals", { count: story.openProposals })}</Link>
        </p>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
