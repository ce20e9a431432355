//! Oversight's records (re-review, rectification, accountability, …). Empty for now.
