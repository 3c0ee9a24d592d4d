/* The "In / Lưu PDF" button of plan pages: the browser's print dialog (the print stylesheet in
   qip.css lays the plan out as an A4 document). No inline handlers: pages carry no onclick. */
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest(".qip-print")) window.print();
});
