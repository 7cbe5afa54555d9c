import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { Card, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { chartRows, formatShare, type WallFigures as Figures } from "../lib/wall";
import { formatDay } from "../lib/time";

/** Today's figures in the clinic's day, and calls per hour. */
export function WallFigures({ figures, targetSeconds }: { figures: Figures; targetSeconds: number }) {
  const { t, i18n } = useTranslation();
  const items: { key: string; value: string; hint?: string }[] = [
    { key: "offered", value: String(figures.offered) },
    { key: "answered", value: String(figures.answered) },
    { key: "abandoned", value: String(figures.abandoned) },
    {
      key: "serviceLevel",
      value: formatShare(figures.service_level, i18n.language),
      hint: t("wall.figures.serviceLevelHint", { seconds: targetSeconds }),
    },
    { key: "callbacks", value: String(figures.callbacks) },
    { key: "voicemails", value: String(figures.voicemails) },
  ];
  const rows = chartRows(figures);
  const series = [
    { name: "offered", label: t("wall.figures.offered"), color: "blue.7" },
    { name: "answered", label: t("wall.figures.answered"), color: "teal.7" },
    { name: "abandoned", label: t("wall.figures.abandoned"), color: "red.8" },
  ];
  return (
    <section aria-labelledby="wall-figures-title">
      <Stack gap="sm">
        <Title order={3} id="wall-figures-title">
          {t("wall.figures.title", { day: formatDay(figures.day, i18n.language) })}
        </Title>
        <div className="wall-figures">
          {items.map((item) => (
            <Card key={item.key} withBorder padding="sm" data-testid={`wall-figure-${item.key}`}>
              <Text size="sm" c="dimmed">
                {t(`wall.figures.${item.key}`)}
              </Text>
              <span className="wall-number" data-testid="wall-figure-value">
                {item.value}
              </span>
              {item.hint && (
                <Text size="xs" c="dimmed">
                  {item.hint}
                </Text>
              )}
            </Card>
          ))}
        </div>
        <figure className="wall-chart" data-testid="wall-chart">
          <figcaption>
            <Text size="sm" fw={600}>
              {t("wall.figures.chart")}
            </Text>
          </figcaption>
          <BarChart
            h={180}
            data={rows}
            dataKey="hour"
            series={series}
            withLegend
            legendProps={{ verticalAlign: "bottom" }}
            tickLine="y"
            yAxisProps={{ allowDecimals: false }}
            withTooltip={false}
            barProps={{ isAnimationActive: false }}
          />
        </figure>
      </Stack>
    </section>
  );
}
