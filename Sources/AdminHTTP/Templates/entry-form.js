// Neraca: live totals for the manual entry form. The form works without this script (the
// server checks the balance on submit and is the only judge); with it, the debits, the
// credits and their difference show while the finance officer types.
"use strict";
(function () {
  var form = document.querySelector("form[data-entry-form]");
  if (!form) { return; }
  var output = document.getElementById("live-balance");
  var decimals = parseInt(form.getAttribute("data-decimals"), 10) || 0;
  var decimalMark = form.getAttribute("data-locale") === "id" ? "," : ".";
  var groupMark = decimalMark === "," ? "." : ",";

  // An amount as whole minor units (a BigInt, never a float), or null when it is not one.
  function minorUnits(text) {
    var clean = text.replace(/^\s*(Rp|IDR|USD)\s*/i, "").trim().split(groupMark).join("");
    if (clean === "") { return BigInt(0); }
    var parts = clean.split(decimalMark);
    if (parts.length > 2 || !/^\d+$/.test(parts[0]) || (parts.length === 2 && !/^\d*$/.test(parts[1]))) { return null; }
    var fraction = parts.length === 2 ? parts[1] : "";
    if (fraction.length > decimals) { return null; }
    while (fraction.length < decimals) { fraction += "0"; }
    return BigInt(parts[0] + fraction);
  }

  function written(units) {
    var negative = units < BigInt(0);
    var digits = (negative ? -units : units).toString();
    while (digits.length <= decimals) { digits = "0" + digits; }
    var whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, groupMark);
    // As the server writes amounts: the decimals only when they are not all zero.
    var cents = digits.slice(digits.length - decimals);
    var fraction = decimals > 0 && /[1-9]/.test(cents) ? decimalMark + cents : "";
    return (negative ? "-" : "") + whole + fraction;
  }

  function update() {
    var totals = { debit: BigInt(0), credit: BigInt(0) };
    var unreadable = false;
    form.querySelectorAll("input[data-side]").forEach(function (input) {
      var units = minorUnits(input.value);
      if (units === null) { unreadable = true; return; }
      totals[input.getAttribute("data-side")] += units;
    });
    var difference = totals.debit - totals.credit;
    output.textContent = output.getAttribute(unreadable ? "data-unreadable" : (difference === BigInt(0) ? "data-balanced" : "data-unbalanced"))
      .replace("{debit}", written(totals.debit)).replace("{credit}", written(totals.credit))
      .replace("{difference}", written(difference));
  }

  form.addEventListener("input", update);
  update();
})();
