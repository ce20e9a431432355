//! Oversight after a conclusion (review of unfounded closures, rectification, accountability, early warnings). Empty for now.
