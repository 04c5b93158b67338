// Recipient pages may be white-labelled: until the company is known they show no vendor
// name or icon (the page then sets the company's own, recipient/brand.ts). A file, not an
// inline script: the production CSP allows scripts from our origin only (http/spa.ts).
if (location.pathname.indexOf("/p/i/") === 0) {
  document.title = "\u200e";
  document.querySelector("link[rel=icon]").href =
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='%2394a3b8'/></svg>";
}
