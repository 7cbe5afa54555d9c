import { useTranslation } from "react-i18next";
import { elapsedSeconds, formatDuration, type WallAlert } from "../lib/wall";
import { useDepartmentName } from "./WallWords";

/** The red strip at the top: urgent and emergency callers waiting past their limit. */
export function WallAlerts({ alerts, now, offset }: { alerts: WallAlert[]; now: number; offset: number }) {
  const { t } = useTranslation();
  const department = useDepartmentName();
  if (alerts.length === 0) return null;
  return (
    <section className="wall-alerts" role="alert" aria-labelledby="wall-alerts-title" data-testid="wall-alerts">
      <h3 className="wall-alert-title" id="wall-alerts-title">
        {t("wall.alerts.title", { count: alerts.length })}
      </h3>
      <ul>
        {alerts.map((a) => (
          <li key={a.entry_id} data-testid="wall-alert" data-priority={a.priority}>
            {t("wall.alerts.line", {
              priority: t(`wall.priority.${a.priority}`, a.priority),
              department: department(a.department),
              wait: formatDuration(elapsedSeconds(a.entered_at, now, offset)),
              limit: formatDuration(a.limit_seconds),
            })}
            {a.status === "offered" && ` (${t("wall.alerts.ringing")})`}
          </li>
        ))}
      </ul>
    </section>
  );
}
