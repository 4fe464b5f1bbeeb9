// Hide the address fields while "Secret address?" is ticked (the server skips their requirement).
(function () {
  var box = document.getElementById("id_secret_address");
  if (!box) return;
  var ids = ["street", "house_number", "postcode", "city"];
  function sync() {
    ids.forEach(function (name) {
      var field = document.getElementById("field-" + name);
      if (field) field.hidden = box.checked;
    });
  }
  box.addEventListener("change", sync);
  sync();
})();
