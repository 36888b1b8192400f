// Served by the daemon, the page reads its API. An offline copy made by `refd export-site`
// replaces this file with a description of the copy's files (window.SUGINAMI_SITE).
