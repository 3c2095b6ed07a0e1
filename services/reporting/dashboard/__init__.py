"""The HTML dashboard and the twice-yearly monitor, with server-side SVG charts."""
