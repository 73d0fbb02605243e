//! The report: one JSON file, a Markdown table, and an SVG chart of latency
//! percentiles against viewer count, one line per server.

use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

/// One update's round: when the narrator sent it, its first delivery (the
/// time to publish it), and its mean and slowest delivery.
#[derive(Debug, Clone, Serialize)]
pub struct SlowRound {
    pub n: u64,
    pub sent_unix_ms: u64,
    pub first_ms: f64,
    pub mean_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FirstDelivery {
    pub median: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    pub label: String,
    pub server: String,
    pub viewers: usize,
    pub connected: u64,
    pub failed: u64,
    pub sse_viewers: usize,
    pub slow_viewers: usize,
    pub updates: u64,
    pub update_bytes: usize,
    pub measured_s: f64,
    pub latency_ms: Latency,
    pub deliveries_expected: u64,
    pub deliveries_received: u64,
    pub gaps: u64,
    pub duplicates: u64,
    pub reconnects: u64,
    pub closed_4008: u64,
    pub closed_1012: u64,
    pub refused: u64,
    pub slow_closed: u64,
    pub slow_open: u64,
    /// Updates the stalled viewers found once they read again, of those expected.
    pub slow_received: u64,
    pub slow_expected: u64,
    pub server_cpu_s: f64,
    pub server_cpu_percent: f64,
    pub rss_baseline_kib: u64,
    pub rss_idle_kib: u64,
    pub rss_peak_kib: u64,
    pub rss_per_viewer_kib: f64,
    pub deliveries_per_cpu_s: f64,
    pub cpu_us_per_delivery: f64,
    pub peak_open_streams: Option<u64>,
    pub admission_limit: Option<u64>,
    /// Viewers that ended below the session's head (missed the last events).
    pub behind_head: u64,
    /// The updates whose slowest delivery was slowest (to see what they met).
    pub slowest_rounds: Vec<SlowRound>,
    /// From the narrator's send to an update's first delivery (the write
    /// path, before the fan-out): median and slowest over the rounds.
    pub first_delivery_ms: FirstDelivery,
    /// The Q&A storm's figures, when one ran beside the broadcast.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qa: Option<crate::qa::figures::QaFigures>,
}

impl RunResult {
    /// Whether a run kept the delivery promise: everyone connected, every
    /// update delivered with no gap and no duplicate, every viewer at the
    /// head at the end, and (with a storm) nothing asked or voted lost.
    pub fn sound(&self) -> bool {
        self.failed == 0
            && self.behind_head == 0
            && self.qa.as_ref().is_none_or(|q| q.sound())
            && self.gaps == 0
            && self.duplicates == 0
            && self.deliveries_received >= self.deliveries_expected
    }
}

pub fn markdown(results: &[RunResult]) -> String {
    let mut out = String::from(
        "| scenario | server | viewers (ok/failed) | updates | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | delivered/expected | gaps | dups | server CPU s | deliveries per CPU s | peak RSS MiB | RSS per viewer KiB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in results {
        let l = &r.latency_ms;
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {}/{} | {} | {} | {:.2} | {:.0} | {:.1} | {:.2} |",
            r.label,
            r.server,
            r.connected,
            r.failed,
            r.updates,
            l.p50,
            l.p90,
            l.p99,
            l.p999,
            l.max,
            r.deliveries_received,
            r.deliveries_expected,
            r.gaps,
            r.duplicates,
            r.server_cpu_s,
            r.deliveries_per_cpu_s,
            r.rss_peak_kib as f64 / 1024.0,
            r.rss_per_viewer_kib
        );
    }
    out
}

/// Gallery against each peer at the same viewer count.
pub fn ratios(results: &[RunResult]) -> String {
    let mut out = String::from(
        "| viewers | peer | p99 Gallery/peer | deliveries per CPU s Gallery/peer | CPU per delivery Gallery/peer | RSS per viewer Gallery/peer |\n|---|---|---|---|---|---|\n",
    );
    for g in results.iter().filter(|r| r.server == "gallery") {
        for p in results
            .iter()
            .filter(|r| r.server != "gallery" && r.viewers == g.viewers && r.label == g.label)
        {
            let ratio = |a: f64, b: f64| {
                if b > 0.0 {
                    format!("{:.2}", a / b)
                } else {
                    "-".into()
                }
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                g.viewers,
                p.server,
                ratio(g.latency_ms.p99, p.latency_ms.p99),
                ratio(g.deliveries_per_cpu_s, p.deliveries_per_cpu_s),
                ratio(g.cpu_us_per_delivery, p.cpu_us_per_delivery),
                ratio(g.rss_per_viewer_kib, p.rss_per_viewer_kib)
            );
        }
    }
    out
}

/// Latency percentiles (p50 dashed, p99 solid) against viewers, one colour per server.
pub fn svg(results: &[RunResult]) -> String {
    let (w, h, left, bottom, top, right) = (720.0, 420.0, 60.0, 50.0, 30.0, 150.0);
    let max_x = results.iter().map(|r| r.viewers).max().unwrap_or(1) as f64;
    let max_y = results
        .iter()
        .map(|r| r.latency_ms.p99)
        .fold(1.0f64, f64::max)
        * 1.1;
    let x = |v: f64| left + (w - left - right) * v / max_x;
    let y = |v: f64| h - bottom - (h - bottom - top) * v / max_y;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{left}\" y=\"18\" font-size=\"14\">Publish-to-deliver latency (ms): p99 solid, p50 dashed</text>\n"
    );
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>",
        h - bottom,
        w - right,
        h - bottom
    );
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"black\"/>",
        h - bottom
    );
    for i in 0..=4 {
        let v = max_y * i as f64 / 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{:.0}\" text-anchor=\"end\">{v:.0}</text>",
            left - 6.0,
            y(v) + 4.0
        );
        let xv = max_x * i as f64 / 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{:.0}\" y=\"{}\" text-anchor=\"middle\">{xv:.0}</text>",
            x(xv),
            h - bottom + 18.0
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{:.0}\" y=\"{}\" text-anchor=\"middle\">viewers</text>",
        (left + w - right) / 2.0,
        h - 10.0
    );
    let colours = ["#0b6e4f", "#c2410c", "#1d4ed8", "#6b7280", "#9333ea"];
    let mut servers: Vec<&str> = results.iter().map(|r| r.server.as_str()).collect();
    servers.sort();
    servers.dedup();
    for (i, server) in servers.iter().enumerate() {
        let colour = colours[i % colours.len()];
        let mut points: Vec<&RunResult> = results.iter().filter(|r| r.server == *server).collect();
        points.sort_by_key(|r| r.viewers);
        for (pick, dash) in [
            (|r: &RunResult| r.latency_ms.p99) as fn(&RunResult) -> f64,
            |r: &RunResult| r.latency_ms.p50,
        ]
        .into_iter()
        .zip(["", " stroke-dasharray=\"5,4\""])
        {
            let line: Vec<String> = points
                .iter()
                .map(|r| format!("{:.1},{:.1}", x(r.viewers as f64), y(pick(r))))
                .collect();
            let _ = writeln!(
                out,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{}\"/>",
                line.join(" ")
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\">{server}</text>",
            w - right + 12.0,
            top + 20.0 + 18.0 * i as f64
        );
    }
    out.push_str("</svg>\n");
    out
}

pub fn write(prefix: &Path, results: &[RunResult]) -> anyhow::Result<()> {
    if let Some(dir) = prefix.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        prefix.with_extension("json"),
        serde_json::to_string_pretty(results)?,
    )?;
    std::fs::write(
        prefix.with_extension("md"),
        format!("{}\n{}", markdown(results), ratios(results)),
    )?;
    std::fs::write(prefix.with_extension("svg"), svg(results))?;
    Ok(())
}
