//! Black-box tests: the real app on port 0 over a fresh database, on both backends, driven
//! over HTTP and from a real headless Chromium.

// Tests: a value that is not there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod browser;
mod browser_accountability;
mod browser_attachments;
mod browser_board;
mod browser_bulletins;
mod browser_campaigns;
mod browser_clearing;
mod browser_clocks;
mod browser_dashboard;
mod browser_feedback;
mod browser_forms;
mod browser_library;
mod browser_outline;
mod browser_portal;
mod browser_rectification;
mod browser_relations;
mod browser_reporters;
mod browser_reviews;
mod browser_search;
mod browser_setup;
mod browser_statistics;
mod browser_work_reports;
mod english;
mod forms;
mod hardening;
mod import;
mod kept_forms;
mod matrix;
mod matrix_oversight;
mod openapi;
mod openapi_document;
mod openapi_relations;
mod openapi_reporters;
mod openapi_reporting;
mod openapi_reviews;
mod pages;
mod portal;
mod protection;
mod support;
