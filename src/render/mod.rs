//! Renderers: they read the document model and never parse Markdown or read input files.

pub mod html;
pub mod markup;
