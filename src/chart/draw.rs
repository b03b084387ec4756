//! The drawing itself, on plotters' bitmap backend.

use super::{ChartData, ChartError, HEIGHT, MAX_TOPICS, WIDTH};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// DejaVu Sans, cut down to Latin-1 (see assets/fonts/LICENSE-DejaVu.txt).
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
const FAMILY: &str = "sans-serif";

const BACKGROUND: RGBColor = RGBColor(0x1E, 0x29, 0x3B);
const TEXT: RGBColor = RGBColor(0xF1, 0xF5, 0xF9);
const MUTED: RGBColor = RGBColor(0x94, 0xA3, 0xB8);
const GRID: RGBColor = RGBColor(0x33, 0x41, 0x55);
const BAR: RGBColor = RGBColor(0x3B, 0x82, 0xF6);
const WEAKEST: RGBColor = RGBColor(0xD9, 0x77, 0x06);
const LINE: RGBColor = RGBColor(0x34, 0xD3, 0x99);

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_err() {
            tracing::error!("the bundled chart font could not be read");
        }
    });
}

fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Draws `data` into `rgb` (WIDTH x HEIGHT x 3 bytes).
pub(super) fn draw(data: &ChartData, rgb: &mut [u8]) -> Result<(), ChartError> {
    register_font();
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&BACKGROUND).map_err(err)?;
    let title = (FAMILY, 26).into_font().color(&TEXT);
    root.draw(&Text::new(data.title.as_str(), (20, 12), title))
        .map_err(err)?;
    let body = root.margin(50, 10, 20, 20);
    let (top, bottom) = body.split_vertically(250);
    bars(data, &top)?;
    weeks(data, &bottom)?;
    root.present().map_err(err)?;
    Ok(())
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// Average per topic as horizontal bars, weakest first, each labelled with
/// its topic and average; the weakest in amber and marked in words too
/// (colour alone is not enough for everyone).
fn bars(data: &ChartData, area: &Area<'_>) -> Result<(), ChartError> {
    let heading = (FAMILY, 18).into_font().color(&MUTED);
    let mut topics: Vec<_> = data.topics.iter().collect();
    topics.sort_by(|a, b| a.average.total_cmp(&b.average));
    let shown = topics.len().min(MAX_TOPICS);
    let caption = if topics.len() > shown {
        format!(
            "Average score by topic (the {shown} lowest of {})",
            topics.len()
        )
    } else {
        "Average score by topic".to_string()
    };
    area.draw(&Text::new(caption, (0, 0), heading))
        .map_err(err)?;
    if shown == 0 {
        return Ok(());
    }
    let mut chart = ChartBuilder::on(area)
        .margin_top(28)
        .build_cartesian_2d(0.0..100.0_f64, 0.0..shown as f64)
        .map_err(err)?;
    let label = (FAMILY, 17)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, t) in topics.iter().take(shown).enumerate() {
        let y = (shown - 1 - i) as f64;
        let colour = if t.weakest { WEAKEST } else { BAR };
        let width = t.average.clamp(0.0, 100.0);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + 0.12), (width.max(0.5), y + 0.88)],
                colour.filled(),
            )))
            .map_err(err)?;
        let mark = if t.weakest { "  · weakest" } else { "" };
        let text = format!("{}  {:.0}/100{mark}", t.label, t.average);
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (1.5, y + 0.5),
                label.clone(),
            )))
            .map_err(err)?;
    }
    Ok(())
}

/// The score over time: each week's average as a line with its points.
fn weeks(data: &ChartData, area: &Area<'_>) -> Result<(), ChartError> {
    let heading = (FAMILY, 18).into_font().color(&MUTED);
    area.draw(&Text::new("Average score by week", (0, 8), heading))
        .map_err(err)?;
    let n = data.weeks.len();
    if n == 0 {
        return Ok(());
    }
    let dates: Vec<String> = data
        .weeks
        .iter()
        .map(|w| short_date(w.week_start))
        .collect();
    let x_max = (n.max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin_top(36)
        .margin_right(20)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(-0.3..x_max + 0.3, 0.0..100.0_f64)
        .map_err(err)?;
    let labels = (FAMILY, 15).into_font().color(&TEXT);
    let format_x = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 0.01 || i < 0.0 {
            return String::new();
        }
        dates.get(i as usize).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(n.clamp(2, 8))
        .x_label_formatter(&format_x)
        .y_labels(5)
        .label_style(labels)
        .draw()
        .map_err(err)?;
    let points: Vec<(f64, f64)> = data
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (i as f64, w.average.clamp(0.0, 100.0)))
        .collect();
    chart
        .draw_series(LineSeries::new(points.clone(), LINE.stroke_width(3)))
        .map_err(err)?;
    chart
        .draw_series(points.iter().map(|&p| Circle::new(p, 5, LINE.filled())))
        .map_err(err)?;
    Ok(())
}

/// "Mar 04" for a week's Monday.
fn short_date(t: crate::time::Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(t.millis())
        .map(|d| d.format("%b %d").to_string())
        .unwrap_or_default()
}
