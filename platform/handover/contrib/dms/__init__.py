"""Hand-over to a document management system: xdomea 3.0.0 messages on a WebDAV share or in
a folder (docs/handover/dms.md)."""
