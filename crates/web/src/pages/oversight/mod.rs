//! Oversight pages (review of unfounded closures, rectification, accountability). Empty for now.
