import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { initI18n } from "./lib/i18n";

void initI18n().then(() => {
  const target = document.getElementById("app");
  if (target) mount(App, { target });
});
