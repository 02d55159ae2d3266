//! Shared plotting set-up: plotters draws text with a TrueType font read at run time — DejaVu Sans
//! from Debian's `fonts-dejavu-core`, or the file named by `CNN_FONT`.

use std::path::PathBuf;

use plotters::style::FontStyle;

/// Font files tried, in order, after `CNN_FONT`.
const FONT_CANDIDATES: [&str; 5] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
];

/// Register a TrueType font as plotters' `sans-serif` (once per process); the error says how to
/// install one.
pub fn register_font() -> Result<(), String> {
    static REGISTERED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let path = std::env::var_os("CNN_FONT")
                .map(PathBuf::from)
                .into_iter()
                .chain(FONT_CANDIDATES.iter().map(PathBuf::from))
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    "no TrueType font found for the chart's text: install DejaVu Sans \
                     (`apt-get install fonts-dejavu-core`) or set CNN_FONT=/path/to/font.ttf"
                        .to_string()
                })?;
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // plotters keeps registered fonts for the whole process and wants 'static bytes.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
                .map_err(|_| format!("{} is not a usable TrueType font", path.display()))
        })
        .clone()
}
