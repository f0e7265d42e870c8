//! The states-per-depth chart of a running check, drawn with plotters on a canvas.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Draws one bar per BFS level: the new distinct states found at that depth.
pub fn draw_levels(canvas: &HtmlCanvasElement, levels: &[u64], dark: bool) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    let (bg, fg, bar) = if dark {
        (RGBColor(0x1b, 0x1f, 0x27), RGBColor(0xc9, 0xd1, 0xd9), RGBColor(0x58, 0xa6, 0xff))
    } else {
        (RGBColor(0xff, 0xff, 0xff), RGBColor(0x44, 0x4c, 0x56), RGBColor(0x25, 0x63, 0xeb))
    };
    root.fill(&bg).map_err(|e| e.to_string())?;
    let n = levels.len().max(1) as u32;
    let top = levels.iter().copied().max().unwrap_or(1).max(1);
    let text = ("sans-serif", 12).into_font().color(&fg);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d((1u32..n + 1).into_segmented(), 0u64..(top + top / 10 + 1))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(fg.mix(0.15))
        .light_line_style(fg.mix(0.05))
        .axis_style(fg.mix(0.6))
        .x_desc("depth")
        .y_desc("new states")
        .x_labels(12)
        .y_labels(5)
        .label_style(text.clone())
        .axis_desc_style(text)
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(Histogram::vertical(&chart).style(bar.filled()).margin(1).data(levels.iter().enumerate().map(|(i, v)| (i as u32 + 1, *v))))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
