// Who is using the app in this session, for forms that default to it ("taken by"). Held in
// memory only, set at unlock and cleared at lock: never in the webview's storage.
let actor = "";

export function setActor(name: string): void {
  actor = name;
}

export function currentActor(): string {
  return actor;
}
