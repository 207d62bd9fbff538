<#-- The page around every login form (keycloak.v2's forms, fields and buttons are inherited).
     It serves the tenant whose portal started the sign-in: the portal asks for the scope
     `organization:<tenant slug>`, so Keycloak resolves that organization and passes it as `org`.
     Its name heads the page; its attribute `portalwerk-colour` colours the header and links, but
     only when white text on it reaches WCAG AA (contrast.ftl). Without an organization the realm's
     display name and Portalwerk's own colour are used. -->
<#import "field.ftl" as field>
<#import "contrast.ftl" as contrast>
<#assign tenantName = (org.name)!(realm.displayName)!"Portalwerk">
<#assign brandColour = contrast.onWhite(((org.attributes["portalwerk-colour"])![])?first!"", "#00548a")>

<#macro username>
  <div class="portalwerk-attempted">
    <p>
      <span class="portalwerk-attempted-label"><#if !realm.loginWithEmailAllowed>${msg("username")}<#elseif !realm.registrationEmailAsUsername>${msg("usernameOrEmail")}<#else>${msg("email")}</#if>:</span>
      <strong id="kc-attempted-username">${auth.attemptedUsername}</strong>
    </p>
    <p><a id="reset-login" href="${url.loginRestartFlowUrl}">${msg("portalwerkOtherAccount")}</a></p>
  </div>
</#macro>

<#macro registrationLayout bodyClass="" displayInfo=false displayMessage=true displayRequiredFields=false>
<!DOCTYPE html>
<html class="${properties.kcHtmlClass!}" lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>${msg("loginTitle", tenantName)}</title>
  <link rel="icon" href="${url.resourcesCommonPath}/img/favicon.ico">
  <#list properties.stylesCommon?split(' ') as style>
  <link href="${url.resourcesCommonPath}/${style}" rel="stylesheet">
  </#list>
  <#list properties.styles?split(' ') as style>
  <link href="${url.resourcesPath}/${style}" rel="stylesheet">
  </#list>
  <style>:root { --portalwerk-brand: ${brandColour}; }</style>
  <script type="importmap">
    { "imports": { "rfc4648": "${url.resourcesCommonPath}/vendor/rfc4648/rfc4648.js" } }
  </script>
  <#if scripts??><#list scripts as script><script src="${script}"></script></#list></#if>
  <script type="module" src="${url.resourcesPath}/js/passwordVisibility.js"></script>
  <script type="module">
    <#outputformat "JavaScript">
    import { startSessionPolling } from ${(url.resourcesPath + "/js/authChecker.js")?c};
    startSessionPolling(${url.ssoLoginInOtherTabsUrl?c});
    </#outputformat>
  </script>
  <#if authenticationSession??>
  <script type="module">
    <#outputformat "JavaScript">
    import { checkAuthSession } from ${(url.resourcesPath + "/js/authChecker.js")?c};
    checkAuthSession(${authenticationSession.authSessionIdHash?c});
    </#outputformat>
  </script>
  </#if>
</head>
<body class="portalwerk ${bodyClass}" data-page-id="login-${pageId}">
<a class="portalwerk-skip-link" href="#kc-main">${msg("portalwerkSkipLink")}</a>
<header class="portalwerk-header">
  <div class="portalwerk-wrap">
    <p class="portalwerk-tenant" id="portalwerk-tenant">${tenantName}</p>
    <#if realm.internationalizationEnabled && locale.supported?size gt 1>
    <nav aria-label="${msg("portalwerkLanguages")}">
      <ul class="portalwerk-languages">
        <#list locale.supported as language>
        <li><a href="${language.url}" lang="${language.languageTag}" hreflang="${language.languageTag}"<#if language.languageTag == locale.currentLanguageTag> aria-current="true"</#if>>${language.label}</a></li>
        </#list>
      </ul>
    </nav>
    </#if>
  </div>
</header>
<main id="kc-main" class="portalwerk-main portalwerk-wrap" tabindex="-1">
  <h1 id="kc-page-title"><#nested "header"></h1>
  <#if displayRequiredFields>
  <p class="portalwerk-hint"><span aria-hidden="true">*</span> ${msg("requiredFields")}</p>
  </#if>
  <#if auth?has_content && auth.showUsername() && !auth.showResetCredentials()>
    <#nested "show-username">
    <@username />
  </#if>
  <#-- App-initiated actions should not see warnings about the action they are completing. -->
  <#if displayMessage && message?has_content && (message.type != 'warning' || !isAppInitiatedAction??)>
  <div class="portalwerk-message portalwerk-message-${message.type}"<#if message.type = 'error'> role="alert"</#if>>
    <p class="kc-feedback-text">${kcSanitize(message.summary)?no_esc}</p>
  </div>
  </#if>

  <#nested "form">

  <#if auth?has_content && auth.showTryAnotherWayLink()>
  <form id="kc-select-try-another-way-form" action="${url.loginAction}" method="post" novalidate="novalidate">
    <input type="hidden" name="tryAnotherWay" value="on">
    <button type="submit" id="try-another-way" class="${properties.kcButtonSecondaryClass} ${properties.kcButtonBlockClass}">${msg("doTryAnotherWay")}</button>
  </form>
  </#if>
  <#if switchOrganizationEnabled?? && switchOrganizationEnabled>
  <form id="kc-switch-organization-form" action="${url.loginAction}" method="post" novalidate="novalidate">
    <input type="hidden" name="switchOrganization" value="true">
    <button type="submit" id="switch-organization" class="${properties.kcButtonSecondaryClass} ${properties.kcButtonBlockClass}">${msg("doSwitchOrganization")}</button>
  </form>
  </#if>

  <#nested "socialProviders">
  <#if displayInfo>
  <div id="kc-info" class="portalwerk-info"><#nested "info"></div>
  </#if>
</main>
<footer class="portalwerk-footer">
  <div class="portalwerk-wrap"><p>${msg("portalwerkFooter", tenantName)}</p></div>
</footer>
</body>
</html>
</#macro>
