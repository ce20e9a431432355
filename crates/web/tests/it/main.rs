//! Black-box tests: the real app on port 0 over a fresh database, on both backends, driven
//! over HTTP and from a real headless Chromium.

mod api;
mod browser;
mod matrix;
mod openapi;
mod pages;
mod protection;
mod support;
