// Fills the coordinate fields from the browser's location; the fields stay usable by hand without it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-locate]");
  const status = document.querySelector("[data-locate-status]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = status.dataset.wait;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        status.textContent = status.dataset.done;
      },
      () => { status.textContent = status.dataset.fail; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
});
