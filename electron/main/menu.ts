import { type BrowserWindow, Menu, type MenuItemConstructorOptions, app, shell } from 'electron';
import { isAllowedExternal } from './security';

/** The application menu: the usual edit and window roles, plus shortcuts into Firebreak's own places. */
export function installMenu(getWindow: () => BrowserWindow | null): void {
  const go = (hash: string) => () => {
    void getWindow()?.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(hash)}`);
  };
  const open = (url: string) => () => {
    if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Incidents', accelerator: 'CmdOrCtrl+1', click: go('#/') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => getWindow()?.webContents.reload() },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'NIST SP 800-61r3 (Incident Response)', click: open('https://csrc.nist.gov/pubs/sp/800/61/r3/final') },
        { label: 'NIST SP 800-53r5 controls', click: open('https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final') },
        { label: 'AWS CloudTrail LookupEvents', click: open('https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
