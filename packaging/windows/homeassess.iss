; Inno Setup script: the Windows installer for the one-folder build (dist\HomeAssess\).
; Build the folder first (python scripts\build_app.py --self-test, which also writes build\homeassess.ico), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\homeassess.iss
; which writes dist\HomeAssess-<version>-windows-x64-setup.exe. See docs/packaging.md.
;
; Installs per user by default (no administrator needed: a therapist's managed laptop often has no
; admin rights), or for all users when run as an administrator. The data folder is not in the
; install folder: uninstalling never deletes client records (they are in %LOCALAPPDATA%\HomeAssess).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{7C5B7E5A-6A43-4C9E-9E0B-5D1C2F7A4B11}
AppName=HomeAssess
AppVersion={#AppVersion}
AppPublisher=HomeAssess contributors
DefaultDirName={autopf}\HomeAssess
DefaultGroupName=HomeAssess
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=HomeAssess-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\homeassess.ico
UninstallDisplayIcon={app}\HomeAssess.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\HomeAssess\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\HomeAssess"; Filename: "{app}\HomeAssess.exe"
Name: "{autodesktop}\HomeAssess"; Filename: "{app}\HomeAssess.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\HomeAssess.exe"; Description: "{cm:LaunchProgram,HomeAssess}"; Flags: nowait postinstall skipifsilent
