/* The "In văn bản" button of plan pages: the browser's print dialog (the print stylesheet in
   qip.css lays the plan out as an A4 document). The print font is loaded first, since no screen
   style uses it and a print preview made before it arrives would show another font. No inline
   handlers: pages carry no onclick. */
document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest(".qip-print")) return;
  var faces = ["400 13pt", "italic 400 13pt", "700 13pt", "italic 700 13pt"];
  var loading = document.fonts && document.fonts.load
    ? Promise.all(faces.map(function (face) { return document.fonts.load(face + ' "QIP Serif"', "aẾ"); }))
    : Promise.resolve();
  loading.catch(function () {}).then(function () { window.print(); });
});
