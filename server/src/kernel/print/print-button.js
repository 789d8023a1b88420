// Wires the print button of a server-rendered print view (the CSP forbids inline scripts).
const button = document.getElementById('print-button');
if (button) button.addEventListener('click', () => window.print());
