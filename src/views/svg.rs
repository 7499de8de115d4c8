//! Pictures of view results, drawn server-side as standalone SVG (no script):
//! a matrix (rows × columns, a mark where a row pairs them), a network (nodes on
//! a circle, edges as thick as their weight) and a timeline (one mark per dated row).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::render::plain;
use super::{Picture, Table, View};
use crate::html::escape;

/// Approximate width of a character of the 12px labels.
const CHAR_WIDTH: f64 = 6.6;
/// Labels longer than this are shortened.
const MAX_LABEL: usize = 48;

/// Why a picture cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// The view declares no picture.
    #[error("the view {0:?} has no picture")]
    None(String),
    /// The result lacks a column the picture reads.
    #[error("the view's result has no column {0:?}, which its picture needs")]
    MissingColumn(String),
}

/// Draws the picture of `view` from its whole result.
pub fn draw(view: &View, table: &Table) -> Result<String, PictureError> {
    let picture = view
        .picture
        .as_ref()
        .ok_or_else(|| PictureError::None(view.name.clone()))?;
    let mut columns = Vec::new();
    for name in picture.columns() {
        columns.push(
            table
                .column(name)
                .ok_or_else(|| PictureError::MissingColumn(name.to_string()))?,
        );
    }
    let cell = |row: &[Option<oxigraph::model::Term>], i: usize| row[columns[i]].as_ref().map(plain);
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .filter_map(|row| (0..columns.len()).map(|i| cell(row, i)).collect::<Option<Vec<_>>>())
        .collect();
    Ok(match picture {
        Picture::Matrix { .. } => matrix(&view.title, &rows),
        Picture::Network { .. } => network(&view.title, &rows),
        Picture::Timeline { .. } => timeline(&view.title, &rows),
    })
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let mut short: String = label.chars().take(MAX_LABEL - 1).collect();
    short.push('…');
    short
}

fn text_width(label: &str) -> f64 {
    shorten(label).chars().count() as f64 * CHAR_WIDTH
}

fn open(title: &str, width: f64, height: f64) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" \
         aria-labelledby=\"title\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
         <title id=\"title\">{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        escape(title)
    )
}

/// Rows × columns; a filled square where some result row pairs them.
fn matrix(title: &str, rows: &[Vec<String>]) -> String {
    let row_labels: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let column_labels: BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let pairs: BTreeSet<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    let size = 22.0;
    let left = row_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 16.0;
    // Column labels are set at -45°, so they need height about their length.
    let top = column_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) * 0.72 + 30.0;
    let width = left + size * column_labels.len() as f64 + top;
    let height = top + size * row_labels.len() as f64 + 10.0;
    let mut svg = open(title, width, height);
    for (j, column) in column_labels.iter().enumerate() {
        let x = left + size * j as f64 + size / 2.0;
        let _ = write!(
            svg,
            "<text transform=\"translate({x:.1},{:.1}) rotate(-45)\">{}</text>",
            top - 6.0,
            escape(&shorten(column))
        );
    }
    for (i, row) in row_labels.iter().enumerate() {
        let y = top + size * i as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + size * 0.68,
            escape(&shorten(row))
        );
        for (j, column) in column_labels.iter().enumerate() {
            let x = left + size * j as f64;
            let filled = pairs.contains(&(*row, *column));
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#c8ced6\">\
                 <title>{}</title></rect>",
                x + 1.0,
                y + 1.0,
                size - 2.0,
                size - 2.0,
                if filled { "#0b4f9c" } else { "#f4f6f9" },
                escape(&format!("{row} – {column}: {}", if filled { "ja" } else { "nej" }))
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Nodes on a circle; an edge per row, as thick as its weight.
fn network(title: &str, rows: &[Vec<String>]) -> String {
    let nodes: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r[0].as_str(), r[1].as_str()])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let label_room = nodes.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 20.0;
    let radius = (nodes.len() as f64 * 14.0).max(120.0);
    let centre = radius + label_room;
    let size = 2.0 * centre;
    let position = |name: &str| {
        let index = nodes.iter().position(|n| *n == name).unwrap_or(0);
        let angle = std::f64::consts::TAU * index as f64 / nodes.len().max(1) as f64;
        (centre + radius * angle.cos(), centre + radius * angle.sin(), angle)
    };
    let max_weight = rows.iter().filter_map(|r| r[2].parse::<f64>().ok()).fold(1.0, f64::max);
    let mut svg = open(title, size, size);
    for row in rows {
        let ((x1, y1, _), (x2, y2, _)) = (position(&row[0]), position(&row[1]));
        let weight = row[2].parse::<f64>().unwrap_or(1.0);
        let _ = write!(
            svg,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#0b4f9c\" \
             stroke-opacity=\"0.55\" stroke-width=\"{:.1}\"><title>{}</title></line>",
            1.0 + 5.0 * weight / max_weight,
            escape(&format!("{} – {}: {}", row[0], row[1], row[2]))
        );
    }
    for node in &nodes {
        let (x, y, angle) = position(node);
        let right = angle.cos() >= 0.0;
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#1a1a1a\"/><text x=\"{:.1}\" y=\"{:.1}\" \
             text-anchor=\"{}\">{}</text>",
            x + if right { 9.0 } else { -9.0 },
            y + 4.0,
            if right { "start" } else { "end" },
            escape(&shorten(node))
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Days since year 0 of a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` value (month and day default to the first).
fn day_number(value: &str) -> Option<f64> {
    let mut parts = value.get(..10.min(value.len()))?.split('-');
    let year: f64 = parts.next()?.parse().ok()?;
    let month: f64 = parts.next().map_or(Some(1.0), |m| m.parse().ok())?;
    let day: f64 = parts.next().map_or(Some(1.0), |d| d.parse().ok())?;
    Some(year * 365.25 + (month - 1.0) * 30.44 + (day - 1.0))
}

/// One line per dated row, placed along a time axis.
fn timeline(title: &str, rows: &[Vec<String>]) -> String {
    let mut dated: Vec<(f64, &str, &str)> = rows
        .iter()
        .filter_map(|r| Some((day_number(&r[0])?, r[0].as_str(), r[1].as_str())))
        .collect();
    dated.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (first, last) = (dated.first().map_or(0.0, |d| d.0), dated.last().map_or(1.0, |d| d.0));
    let span = (last - first).max(1.0);
    let (left, axis_width, line) = (20.0, 420.0, 20.0);
    let label_width = dated
        .iter()
        .map(|(_, date, label)| text_width(label) + text_width(date))
        .fold(0.0, f64::max);
    let width = left + axis_width + label_width + 40.0;
    let height = 50.0 + line * dated.len() as f64;
    let mut svg = open(title, width, height);
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"30\" x2=\"{:.1}\" y2=\"30\" stroke=\"#1a1a1a\"/>\
         <text x=\"{left}\" y=\"20\">{}</text><text x=\"{:.1}\" y=\"20\" text-anchor=\"end\">{}</text>",
        left + axis_width,
        escape(dated.first().map_or("", |d| d.1)),
        left + axis_width,
        escape(dated.last().map_or("", |d| d.1)),
    );
    for (i, (day, date, label)) in dated.iter().enumerate() {
        let x = left + axis_width * (day - first) / span;
        let y = 48.0 + line * i as f64;
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"30\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#c8ced6\"/>\
             <circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#0b4f9c\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\"><tspan font-weight=\"bold\">{}</tspan> {}</text>",
            left + axis_width + 14.0,
            y + 4.0,
            escape(date),
            escape(&shorten(label))
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[[&str; 3]]) -> Vec<Vec<String>> {
        data.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn pictures_escape_their_labels() {
        let data = rows(&[["<script>", "B & C", "2"], ["A", "B & C", "1"]]);
        for svg in [matrix("t", &data), network("t", &data)] {
            assert!(svg.contains("&lt;script&gt;"));
            assert!(!svg.contains("<script>"));
        }
        let dated = rows(&[["2021-12-01", "<b>", ""], ["2022-01", "x", ""]]);
        let svg = timeline("t", &dated);
        assert!(svg.contains("&lt;b&gt;") && svg.contains("2022-01"));
    }

    #[test]
    fn days_order_partial_dates() {
        assert!(day_number("2021-12").unwrap() < day_number("2021-12-02").unwrap());
        assert!(day_number("2022").unwrap() > day_number("2021-12-31").unwrap());
        assert!(day_number("soon").is_none());
    }
}
