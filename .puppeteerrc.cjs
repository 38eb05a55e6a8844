// Rendering uses the system Chromium (Debian package `chromium`); never download a browser at install time.
module.exports = { skipDownload: true };
