; Inno Setup script for Outage Radar (a recipe: not built or tested on the Linux CI machine).
; Installs the PyInstaller bundle dist\outage-radar\ with a Start menu entry, an optional
; "start when I sign in" task and the standard uninstaller. Build with build-installer.ps1, or:
;   iscc /DAppVersion=0.1.0 packaging\windows\outage-radar.iss
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Outage Radar"
#define AppExe "outage-radar.exe"

[Setup]
; A fixed AppId keeps upgrades and the uninstaller entry stable across versions.
AppId={{C082ACB0-8459-5507-8E47-390FC2447BCA}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Outage Radar team
AppPublisherURL=https://github.com/outage-radar/outage-radar
AppSupportURL=https://github.com/outage-radar/outage-radar/issues
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install by default (no UAC prompt); an admin may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=outage-radar-{#AppVersion}-setup
SetupIconFile=outage-radar.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy (Restart Manager) before files are replaced or removed.
CloseApplications=yes
RestartApplications=no

[Tasks]
Name: "autostart"; Description: "Start {#AppName} when I sign in"; GroupDescription: "Startup:"; Flags: unchecked

[Files]
Source: "..\..\dist\outage-radar\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Watch the status of AI services from the tray"

[Registry]
; The same per-user Run value the app's "Start at login" setting writes (outage_radar.autostart),
; so the setting and this task agree; the uninstaller deletes it.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

[Code]
// The app's own "Start at login" setting may have written the Run value after install (the
// task unchecked): remove it too, so nothing points at a deleted program.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run', '{#AppName}');
end;
