// plex-butler-card, built from frontend/ (sources sha256 0786deeeebd9a474d46adf22b54dfae7c8afcee01c769fa23d5ff06b6f372511)
var O=globalThis,L=O.ShadowRoot&&(O.ShadyCSS===void 0||O.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,B=Symbol(),ie=new WeakMap,w=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==B)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(L&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=ie.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&ie.set(t,e))}return e}toString(){return this.cssText}},ne=i=>new w(typeof i=="string"?i:i+"",void 0,B),K=(i,...e)=>{let t=i.length===1?i[0]:e.reduce((s,r,o)=>s+(n=>{if(n._$cssResult$===!0)return n.cssText;if(typeof n=="number")return n;throw Error("Value passed to 'css' function must be a 'css' function result: "+n+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+i[o+1],i[0]);return new w(t,i,B)},oe=(i,e)=>{if(L)i.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),r=O.litNonce;r!==void 0&&s.setAttribute("nonce",r),s.textContent=t.cssText,i.appendChild(s)}},q=L?i=>i:i=>i instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ne(t)})(i):i;var{is:Pe,defineProperty:Te,getOwnPropertyDescriptor:De,getOwnPropertyNames:Me,getOwnPropertySymbols:Ne,getPrototypeOf:Oe}=Object,U=globalThis,ae=U.trustedTypes,Le=ae?ae.emptyScript:"",Ue=U.reactiveElementPolyfillSupport,k=(i,e)=>i,V={toAttribute(i,e){switch(e){case Boolean:i=i?Le:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,e){let t=i;switch(e){case Boolean:t=i!==null;break;case Number:t=i===null?null:Number(i);break;case Object:case Array:try{t=JSON.parse(i)}catch{t=null}}return t}},ce=(i,e)=>!Pe(i,e),le={attribute:!0,type:String,converter:V,reflect:!1,useDefault:!1,hasChanged:ce};Symbol.metadata??=Symbol("metadata"),U.litPropertyMetadata??=new WeakMap;var g=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=le){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),r=this.getPropertyDescriptor(e,s,t);r!==void 0&&Te(this.prototype,e,r)}}static getPropertyDescriptor(e,t,s){let{get:r,set:o}=De(this.prototype,e)??{get(){return this[t]},set(n){this[t]=n}};return{get:r,set(n){let l=r?.call(this);o?.call(this,n),this.requestUpdate(e,l,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??le}static _$Ei(){if(this.hasOwnProperty(k("elementProperties")))return;let e=Oe(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(k("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(k("properties"))){let t=this.properties,s=[...Me(t),...Ne(t)];for(let r of s)this.createProperty(r,t[r])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,r]of t)this.elementProperties.set(s,r)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let r=this._$Eu(t,s);r!==void 0&&this._$Eh.set(r,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let r of s)t.unshift(q(r))}else e!==void 0&&t.push(q(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return oe(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),r=this.constructor._$Eu(e,s);if(r!==void 0&&s.reflect===!0){let o=(s.converter?.toAttribute!==void 0?s.converter:V).toAttribute(t,s.type);this._$Em=e,o==null?this.removeAttribute(r):this.setAttribute(r,o),this._$Em=null}}_$AK(e,t){let s=this.constructor,r=s._$Eh.get(e);if(r!==void 0&&this._$Em!==r){let o=s.getPropertyOptions(r),n=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:V;this._$Em=r;let l=n.fromAttribute(t,o.type);this[r]=l??this._$Ej?.get(r)??l,this._$Em=null}}requestUpdate(e,t,s,r=!1,o){if(e!==void 0){let n=this.constructor;if(r===!1&&(o=this[e]),s??=n.getPropertyOptions(e),!((s.hasChanged??ce)(o,t)||s.useDefault&&s.reflect&&o===this._$Ej?.get(e)&&!this.hasAttribute(n._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:r,wrapped:o},n){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,n??t??this[e]),o!==!0||n!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),r===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,o]of this._$Ep)this[r]=o;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[r,o]of s){let{wrapped:n}=o,l=this[r];n!==!0||this._$AL.has(r)||l===void 0||this.C(r,void 0,o,l)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};g.elementStyles=[],g.shadowRootOptions={mode:"open"},g[k("elementProperties")]=new Map,g[k("finalized")]=new Map,Ue?.({ReactiveElement:g}),(U.reactiveElementVersions??=[]).push("2.1.2");var Q=globalThis,de=i=>i,H=Q.trustedTypes,ue=H?H.createPolicy("lit-html",{createHTML:i=>i}):void 0,ve="$lit$",m=`lit$${Math.random().toFixed(9).slice(2)}$`,me="?"+m,He=`<${me}>`,$=document,R=()=>$.createComment(""),P=i=>i===null||typeof i!="object"&&typeof i!="function",X=Array.isArray,ze=i=>X(i)||typeof i?.[Symbol.iterator]=="function",W=`[ 	
\f\r]`,C=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,he=/-->/g,pe=/>/g,y=RegExp(`>|${W}(?:([^\\s"'>=/]+)(${W}*=${W}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),_e=/'/g,fe=/"/g,ye=/^(?:script|style|textarea|title)$/i,ee=i=>(e,...t)=>({_$litType$:i,strings:e,values:t}),p=ee(1),tt=ee(2),st=ee(3),A=Symbol.for("lit-noChange"),u=Symbol.for("lit-nothing"),ge=new WeakMap,b=$.createTreeWalker($,129);function be(i,e){if(!X(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return ue!==void 0?ue.createHTML(e):e}var Ie=(i,e)=>{let t=i.length-1,s=[],r,o=e===2?"<svg>":e===3?"<math>":"",n=C;for(let l=0;l<t;l++){let a=i[l],c,h,d=-1,f=0;for(;f<a.length&&(n.lastIndex=f,h=n.exec(a),h!==null);)f=n.lastIndex,n===C?h[1]==="!--"?n=he:h[1]!==void 0?n=pe:h[2]!==void 0?(ye.test(h[2])&&(r=RegExp("</"+h[2],"g")),n=y):h[3]!==void 0&&(n=y):n===y?h[0]===">"?(n=r??C,d=-1):h[1]===void 0?d=-2:(d=n.lastIndex-h[2].length,c=h[1],n=h[3]===void 0?y:h[3]==='"'?fe:_e):n===fe||n===_e?n=y:n===he||n===pe?n=C:(n=y,r=void 0);let v=n===y&&i[l+1].startsWith("/>")?" ":"";o+=n===C?a+He:d>=0?(s.push(c),a.slice(0,d)+ve+a.slice(d)+m+v):a+m+(d===-2?l:v)}return[be(i,o+(i[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},T=class i{constructor({strings:e,_$litType$:t},s){let r;this.parts=[];let o=0,n=0,l=e.length-1,a=this.parts,[c,h]=Ie(e,t);if(this.el=i.createElement(c,s),b.currentNode=this.el.content,t===2||t===3){let d=this.el.content.firstChild;d.replaceWith(...d.childNodes)}for(;(r=b.nextNode())!==null&&a.length<l;){if(r.nodeType===1){if(r.hasAttributes())for(let d of r.getAttributeNames())if(d.endsWith(ve)){let f=h[n++],v=r.getAttribute(d).split(m),N=/([.?@])?(.*)/.exec(f);a.push({type:1,index:o,name:N[2],strings:v,ctor:N[1]==="."?G:N[1]==="?"?Y:N[1]==="@"?J:S}),r.removeAttribute(d)}else d.startsWith(m)&&(a.push({type:6,index:o}),r.removeAttribute(d));if(ye.test(r.tagName)){let d=r.textContent.split(m),f=d.length-1;if(f>0){r.textContent=H?H.emptyScript:"";for(let v=0;v<f;v++)r.append(d[v],R()),b.nextNode(),a.push({type:2,index:++o});r.append(d[f],R())}}}else if(r.nodeType===8)if(r.data===me)a.push({type:2,index:o});else{let d=-1;for(;(d=r.data.indexOf(m,d+1))!==-1;)a.push({type:7,index:o}),d+=m.length-1}o++}}static createElement(e,t){let s=$.createElement("template");return s.innerHTML=e,s}};function x(i,e,t=i,s){if(e===A)return e;let r=s!==void 0?t._$Co?.[s]:t._$Cl,o=P(e)?void 0:e._$litDirective$;return r?.constructor!==o&&(r?._$AO?.(!1),o===void 0?r=void 0:(r=new o(i),r._$AT(i,t,s)),s!==void 0?(t._$Co??=[])[s]=r:t._$Cl=r),r!==void 0&&(e=x(i,r._$AS(i,e.values),r,s)),e}var F=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,r=(e?.creationScope??$).importNode(t,!0);b.currentNode=r;let o=b.nextNode(),n=0,l=0,a=s[0];for(;a!==void 0;){if(n===a.index){let c;a.type===2?c=new D(o,o.nextSibling,this,e):a.type===1?c=new a.ctor(o,a.name,a.strings,this,e):a.type===6&&(c=new Z(o,this,e)),this._$AV.push(c),a=s[++l]}n!==a?.index&&(o=b.nextNode(),n++)}return b.currentNode=$,r}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},D=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,r){this.type=2,this._$AH=u,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=x(this,e,t),P(e)?e===u||e==null||e===""?(this._$AH!==u&&this._$AR(),this._$AH=u):e!==this._$AH&&e!==A&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):ze(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==u&&P(this._$AH)?this._$AA.nextSibling.data=e:this.T($.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,r=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=T.createElement(be(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===r)this._$AH.p(t);else{let o=new F(r,this),n=o.u(this.options);o.p(t),this.T(n),this._$AH=o}}_$AC(e){let t=ge.get(e.strings);return t===void 0&&ge.set(e.strings,t=new T(e)),t}k(e){X(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,r=0;for(let o of e)r===t.length?t.push(s=new i(this.O(R()),this.O(R()),this,this.options)):s=t[r],s._$AI(o),r++;r<t.length&&(this._$AR(s&&s._$AB.nextSibling,r),t.length=r)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=de(e).nextSibling;de(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},S=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,r,o){this.type=1,this._$AH=u,this._$AN=void 0,this.element=e,this.name=t,this._$AM=r,this.options=o,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=u}_$AI(e,t=this,s,r){let o=this.strings,n=!1;if(o===void 0)e=x(this,e,t,0),n=!P(e)||e!==this._$AH&&e!==A,n&&(this._$AH=e);else{let l=e,a,c;for(e=o[0],a=0;a<o.length-1;a++)c=x(this,l[s+a],t,a),c===A&&(c=this._$AH[a]),n||=!P(c)||c!==this._$AH[a],c===u?e=u:e!==u&&(e+=(c??"")+o[a+1]),this._$AH[a]=c}n&&!r&&this.j(e)}j(e){e===u?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},G=class extends S{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===u?void 0:e}},Y=class extends S{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==u)}},J=class extends S{constructor(e,t,s,r,o){super(e,t,s,r,o),this.type=5}_$AI(e,t=this){if((e=x(this,e,t,0)??u)===A)return;let s=this._$AH,r=e===u&&s!==u||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,o=e!==u&&(s===u||r);r&&this.element.removeEventListener(this.name,this,s),o&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},Z=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){x(this,e)}};var je=Q.litHtmlPolyfillSupport;je?.(T,D),(Q.litHtmlVersions??=[]).push("3.3.3");var $e=(i,e,t)=>{let s=t?.renderBefore??e,r=s._$litPart$;if(r===void 0){let o=t?.renderBefore??null;s._$litPart$=r=new D(e.insertBefore(R(),o),o,void 0,t??{})}return r._$AI(i),r};var te=globalThis,_=class extends g{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=$e(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return A}};_._$litElement$=!0,_.finalized=!0,te.litElementHydrateSupport?.({LitElement:_});var Be=te.litElementPolyfillSupport;Be?.({LitElement:_});(te.litElementVersions??=[]).push("4.2.2");var E="plex_butler",Ae={task_status:"status",last_run:"lastRun",next_run:"nextRun",start_task:"start",stop_task:"stop"},xe={maintenance_running:"maintenance",live_updates:"liveUpdates",running_tasks:"runningTasks",start_all_tasks:"startAll",stop_all_tasks:"stopAll"};function M(i){let e=new Set(Object.values(i.entities).filter(t=>t.platform===E&&t.translation_key==="running_tasks").map(t=>t.device_id));return Object.values(i.devices).filter(t=>e.has(t.id)).sort((t,s)=>(t.created_at??0)-(s.created_at??0))}function Se(i,e){let t=M(i),s=e.config_entry_id;return s?t.find(r=>r.config_entries.includes(s))??"unknown_server":t[0]??"no_server"}function Ke(i,e,t){let s=e.device_id?i.devices[e.device_id]:void 0;return!s||s.id===t.id?null:s.name_by_user||s.name}function Ee(i,e){let t=new Set([e.id]);for(let n of Object.values(i.devices))(n.parent_device_id===e.id||n.via_device_id===e.id)&&t.add(n.id);let s={device:e,entities:{},tasks:[]},r=new Map;for(let n of Object.values(i.entities)){if(n.platform!==E||!t.has(n.device_id??""))continue;let l=n.translation_key??"";if(l in xe){s.entities[xe[l]]=n.entity_id;continue}let a=i.states[n.entity_id]?.attributes.task_name;if(!(l in Ae)||typeof a!="string")continue;let c=r.get(a);c||(c={name:a,title:a,entities:{}},r.set(a,c));let h=Ae[l];c.entities[h]=n.entity_id,h==="status"&&(c.title=n.name||Ke(i,n,e)||a)}let o=n=>i.states[n.entities.status??""]?.state==="running";return s.tasks=[...r.values()].filter(n=>n.entities.status).sort((n,l)=>Number(o(l))-Number(o(n))||n.title.localeCompare(l.title,i.locale.language)),s}var we={en:{maintenance:"Maintenance",live_updates:"Live updates",start_all:"Start all",stop_all:"Stop all",start:"Start",stop:"Stop",last_run:"Last run",next_run:"Next run",never:"never",not_seen:"not seen yet",debug_log_off:"the server's debug log is off",debug_log_off_detail:"Its runs show only in the server's debug log, which is off.",source_observed:"seen",source_server_log:"server log",source_backup_file:"backup file",source_started_here:"started here",no_server:"No Plex Butler server is set up.",unknown_server:"The chosen Plex server is no longer set up.",no_tasks:"No tasks to show: the server is unavailable or reports none.",server:"Plex server",disabled_task:"Switched off on the server: turn its Enabled switch on to start it.",update_warning:"Automatic updates are on: Start all may install a server update.",cancel:"Cancel"},de:{maintenance:"Wartung",live_updates:"Live-Updates",start_all:"Alle starten",stop_all:"Alle stoppen",start:"Starten",stop:"Stoppen",last_run:"Letzter Lauf",next_run:"N\xE4chster Lauf",never:"nie",not_seen:"noch nicht gesehen",debug_log_off:"das Debug-Log des Servers ist aus",debug_log_off_detail:"Ihre L\xE4ufe zeigen sich nur im Debug-Log des Servers, und das ist aus.",source_observed:"gesehen",source_server_log:"Server-Log",source_backup_file:"Sicherungsdatei",source_started_here:"hier gestartet",no_server:"Es ist kein Plex-Butler-Server eingerichtet.",unknown_server:"Der gew\xE4hlte Plex-Server ist nicht mehr eingerichtet.",no_tasks:"Keine Aufgaben: Der Server ist nicht erreichbar oder meldet keine.",server:"Plex-Server",disabled_task:"Auf dem Server ausgeschaltet: Schalte \u201EAktiviert\u201C ein, um sie zu starten.",update_warning:"Automatische Updates sind an: \u201EAlle starten\u201C kann ein Server-Update installieren.",cancel:"Abbrechen"},fr:{maintenance:"Maintenance",live_updates:"Mises \xE0 jour en direct",start_all:"Tout lancer",stop_all:"Tout arr\xEAter",start:"Lancer",stop:"Arr\xEAter",last_run:"Derni\xE8re ex\xE9cution",next_run:"Prochaine ex\xE9cution",never:"jamais",not_seen:"pas encore vue",debug_log_off:"le journal de d\xE9bogage du serveur est d\xE9sactiv\xE9",debug_log_off_detail:"Ses ex\xE9cutions n'apparaissent que dans le journal de d\xE9bogage du serveur, qui est d\xE9sactiv\xE9.",source_observed:"vue",source_server_log:"journal du serveur",source_backup_file:"fichier de sauvegarde",source_started_here:"lanc\xE9e ici",no_server:"Aucun serveur Plex Butler n'est configur\xE9.",unknown_server:"Le serveur Plex choisi n'est plus configur\xE9.",no_tasks:"Aucune t\xE2che \xE0 afficher : le serveur est indisponible ou n'en signale aucune.",server:"Serveur Plex",disabled_task:"D\xE9sactiv\xE9e sur le serveur : activez son interrupteur \xAB Activ\xE9e \xBB pour la lancer.",update_warning:"Les mises \xE0 jour automatiques sont activ\xE9es : \xAB Tout lancer \xBB peut installer une mise \xE0 jour du serveur.",cancel:"Annuler"},es:{maintenance:"Mantenimiento",live_updates:"Actualizaciones en directo",start_all:"Iniciar todas",stop_all:"Detener todas",start:"Iniciar",stop:"Detener",last_run:"\xDAltima ejecuci\xF3n",next_run:"Pr\xF3xima ejecuci\xF3n",never:"nunca",not_seen:"a\xFAn no vista",debug_log_off:"el registro de depuraci\xF3n del servidor est\xE1 desactivado",debug_log_off_detail:"Sus ejecuciones solo aparecen en el registro de depuraci\xF3n del servidor, que est\xE1 desactivado.",source_observed:"vista",source_server_log:"registro del servidor",source_backup_file:"copia de seguridad",source_started_here:"iniciada aqu\xED",no_server:"No hay ning\xFAn servidor de Plex Butler configurado.",unknown_server:"El servidor Plex elegido ya no est\xE1 configurado.",no_tasks:"No hay tareas que mostrar: el servidor no est\xE1 disponible o no informa de ninguna.",server:"Servidor Plex",disabled_task:"Desactivada en el servidor: activa su interruptor \xABActivada\xBB para iniciarla.",update_warning:"Las actualizaciones autom\xE1ticas est\xE1n activadas: \xABIniciar todas\xBB puede instalar una actualizaci\xF3n del servidor.",cancel:"Cancelar"},nl:{maintenance:"Onderhoud",live_updates:"Live-updates",start_all:"Alles starten",stop_all:"Alles stoppen",start:"Starten",stop:"Stoppen",last_run:"Laatste uitvoering",next_run:"Volgende uitvoering",never:"nooit",not_seen:"nog niet gezien",debug_log_off:"het debuglogboek van de server staat uit",debug_log_off_detail:"De uitvoeringen staan alleen in het debuglogboek van de server, en dat staat uit.",source_observed:"gezien",source_server_log:"serverlogboek",source_backup_file:"back-upbestand",source_started_here:"hier gestart",no_server:"Er is geen Plex Butler-server ingesteld.",unknown_server:"De gekozen Plex-server is niet meer ingesteld.",no_tasks:"Geen taken: de server is niet beschikbaar of meldt er geen.",server:"Plex-server",disabled_task:"Uitgeschakeld op de server: zet de schakelaar \u2018Ingeschakeld\u2019 aan om de taak te starten.",update_warning:"Automatische updates staan aan: \u2018Alles starten\u2019 kan een serverupdate installeren.",cancel:"Annuleren"},it:{maintenance:"Manutenzione",live_updates:"Aggiornamenti in tempo reale",start_all:"Avvia tutte",stop_all:"Ferma tutte",start:"Avvia",stop:"Ferma",last_run:"Ultima esecuzione",next_run:"Prossima esecuzione",never:"mai",not_seen:"non ancora vista",debug_log_off:"il log di debug del server \xE8 disattivato",debug_log_off_detail:"Le esecuzioni compaiono solo nel log di debug del server, che \xE8 disattivato.",source_observed:"vista",source_server_log:"log del server",source_backup_file:"file di backup",source_started_here:"avviata qui",no_server:"Nessun server Plex Butler configurato.",unknown_server:"Il server Plex scelto non \xE8 pi\xF9 configurato.",no_tasks:"Nessuna attivit\xE0 da mostrare: il server non \xE8 disponibile o non ne segnala.",server:"Server Plex",disabled_task:"Disattivata sul server: accendi l\u2019interruttore \xABAbilitata\xBB per avviarla.",update_warning:"Gli aggiornamenti automatici sono attivi: \xABAvvia tutte\xBB pu\xF2 installare un aggiornamento del server.",cancel:"Annulla"}};function z(i,e){return(we[i.split("-")[0]]??we.en)[e]}var qe=["sunday","monday","tuesday","wednesday","thursday","friday","saturday"];function Ve(i){let e=i.first_weekday;if(e&&e!=="language"){let s=qe.indexOf(e);return s===-1?1:s}let t=new Intl.Locale(i.language);return((t.getWeekInfo?.()??t.weekInfo)?.firstDay??1)%7}function ke(i,e){let t=s=>Date.UTC(s.getFullYear(),s.getMonth(),s.getDate());return Math.round((t(i)-t(e))/864e5)}function Ce(i,e){let t=new Date(i);return t.setDate(i.getDate()-(i.getDay()-e+7)%7),t}function We(i,e,t){let s=(i.getTime()-e.getTime())/1e3;if(Math.abs(s)<59)return[Math.round(s),"second"];if(Math.abs(s/60)<59)return[Math.round(s/60),"minute"];let r=s/3600;if(Math.abs(r)<22)return[Math.round(r),"hour"];let o=new Date(i),n=new Date(e);o.setHours(0,0,0,0),n.setHours(0,0,0,0);let l=ke(o,n);if(l===0)return[Math.round(r),"hour"];if(Math.abs(l)<5)return[l,"day"];let a=Ve(t),c=Math.trunc(ke(Ce(o,a),Ce(n,a))/7);if(c===0)return[l,"day"];if(Math.abs(c)<4)return[c,"week"];let h=o.getFullYear()-n.getFullYear(),d=h*12+o.getMonth()-n.getMonth();return d===0?[c,"week"]:Math.abs(d)<11||h===0?[d,"month"]:[h,"year"]}function se(i,e,t){return new Intl.RelativeTimeFormat(i.language,{numeric:"auto"}).format(...We(e,t,i))}var Fe=3e4,Ge=new Map([["observed","source_observed"],["server_log","source_server_log"],["backup_file","source_backup_file"],["started_here","source_started_here"]]),I=class extends _{static properties={hass:{attribute:!1},_config:{state:!0},_confirming:{state:!0}};_clock;static getConfigElement(){return document.createElement("plex-butler-card-editor")}static getStubConfig(e){let[t]=M(e);return t?{config_entry_id:t.config_entries[0]}:{}}setConfig(e){this._config=e}getCardSize(){let e=this.hass&&this._config?this._server():void 0;return 2+(typeof e=="object"?e.tasks.length:0)}getGridOptions(){return{columns:12,min_columns:6}}connectedCallback(){super.connectedCallback(),this._clock=window.setInterval(()=>this.requestUpdate(),Fe)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this._clock)}_t(e){return z(this.hass.locale.language,e)}_server(){let e=Se(this.hass,this._config);return typeof e=="string"?e:Ee(this.hass,e)}_state(e){return e?this.hass.states[e]:void 0}_format(e){return this.hass.formatEntityState?.(e)??e.state}_nextRun(e){let t=this._state(e);if(!t||t.state==="unavailable")return u;let s=new Date(t.state),r=Number.isNaN(s.getTime())?this._t("never"):se(this.hass.locale,s,new Date);return p`<span class="next_run" title=${this._format(t)}
      >${this._t("next_run")}: ${r}</span
    >`}_lastRun(e){let t=this._state(e);if(!t||t.state==="unavailable")return u;let{source:s,precision:r,not_seen_reason:o}=t.attributes,n=this.hass.locale.language,l=new Date(t.state),a,c,h;if(Number.isNaN(l.getTime()))a=this._t("not_seen"),c=a,o==="debug_log_off"&&(h={kind:"hint",key:"debug_log_off"},c=this._t("debug_log_off_detail"));else{a=r==="day"?new Intl.DateTimeFormat(n,{dateStyle:"medium",timeZone:this.hass.config.time_zone}).format(l):se(this.hass.locale,l,new Date),c=r==="day"?a:this._format(t);let d=typeof s=="string"?Ge.get(s):void 0;d&&(h={kind:"source",key:d})}return p`<span class="last_run" title=${c}
      >${this._t("last_run")}: ${a}${h?p`<span class=${h.kind}> · ${this._t(h.key)}</span>`:u}</span
    >`}_percent(e){return new Intl.NumberFormat(this.hass.locale.language,{style:"percent"}).format(e/100)}_press(e){this.hass.callService("button","press",{entity_id:e}).catch(()=>{})}_moreInfo(e){this.dispatchEvent(new CustomEvent("hass-more-info",{detail:{entityId:e},bubbles:!0,composed:!0}))}_button(e,t,s,{disabled:r,press:o}={}){let n=this._state(t);return!n||n.state==="unavailable"?u:p`<button
      class=${e}
      ?disabled=${r!==void 0}
      title=${r?this._t(r):u}
      @click=${()=>(o??this._press).call(this,n.entity_id)}
    >
      <ha-icon icon=${e==="start"?"mdi:play":"mdi:stop"}></ha-icon>${this._t(s)}
    </button>`}_startAll(e){this._state(e)?.attributes.may_install_server_update===!0?this._confirming=!0:this._press(e)}_confirmation(e){if(!this._confirming||!e)return u;let t=s=>{this._confirming=!1,s&&this._press(e)};return p`<div class="confirm" role="alertdialog">
      <span>${this._t("update_warning")}</span>
      <div class="answers">
        <button class="start" data-answer="start" @click=${()=>t(!0)}>
          <ha-icon icon="mdi:play"></ha-icon>${this._t("start_all")}
        </button>
        <button class="cancel" data-answer="cancel" @click=${()=>t(!1)}>
          ${this._t("cancel")}
        </button>
      </div>
    </div>`}_chip(e,t){let s=this._state(t);return s?p`<span class="chip ${s.state}" data-chip=${e}
      >${this._t(e)}: ${this._format(s)}</span
    >`:u}_progressBar(e){return p`<div class="progress">
      <div class=${e===void 0?"bar unknown":"bar"} style="width: ${e??100}%"></div>
    </div>`}_task(e){let t=this._state(e.entities.status),s=t.state==="running",{progress:r}=t.attributes,o=typeof r=="number"?r:void 0,n=s?"stop":"start",l=t.state==="disabled"?"disabled_task":void 0,a=this._format(t);return p`<div class="task ${t.state}" data-task=${e.name}>
      <div class="main">
        <div class="title" @click=${()=>this._moreInfo(e.entities.status)}>
          ${e.title}
          <span class="state">
            ${o===void 0?a:`${a} \xB7 ${this._percent(o)}`}
          </span>
        </div>
        <div class="runs">
          ${this._lastRun(e.entities.lastRun)}
          ${this._nextRun(e.entities.nextRun)}
        </div>
        ${s?this._progressBar(o):u}
      </div>
      ${this._button(n,e.entities[n],n,{disabled:l})}
    </div>`}render(){if(!this.hass||!this._config)return u;let e=this._server();if(typeof e=="string")return p`<ha-card><div class="message">${this._t(e)}</div></ha-card>`;let{entities:t}=e;return p`<ha-card>
      <div class="header">
        <div class="name">${e.device.name_by_user??e.device.name??E}</div>
        <div class="chips">
          ${this._chip("maintenance",t.maintenance)}
          ${this._chip("live_updates",t.liveUpdates)}
        </div>
        <div class="all">
          ${this._button("start",t.startAll,"start_all",{press:this._startAll})}
          ${this._button("stop",t.stopAll,"stop_all")}
        </div>
      </div>
      ${this._confirmation(t.startAll)}
      ${e.tasks.length?e.tasks.map(s=>this._task(s)):p`<div class="message">${this._t("no_tasks")}</div>`}
    </ha-card>`}static styles=K`
    ha-card {
      padding: 8px 0;
      color: var(--primary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      padding: 8px 16px 12px;
      border-bottom: 1px solid var(--divider-color);
    }
    .name {
      flex: 1 1 auto;
      font-size: var(--ha-card-header-font-size, 1.5em);
      line-height: 1.3;
    }
    .chips,
    .all {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .chips {
      flex-basis: 100%;
      order: 1;
    }
    .chip {
      padding: 2px 10px;
      border-radius: 12px;
      font-size: 0.85em;
      background: var(--secondary-background-color);
      color: var(--secondary-text-color);
    }
    .chip.on {
      background: var(--primary-color);
      color: var(--text-primary-color);
    }
    .task {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--divider-color);
    }
    .task:last-child {
      border-bottom: none;
    }
    .main {
      flex: 1 1 auto;
      min-width: 0;
    }
    .title {
      font-weight: 500;
      cursor: pointer;
    }
    .state {
      margin-left: 4px;
      font-weight: normal;
      font-size: 0.85em;
      color: var(--secondary-text-color);
    }
    .running .state {
      color: var(--primary-color);
    }
    .disabled .title {
      color: var(--disabled-text-color);
    }
    .runs {
      display: flex;
      flex-wrap: wrap;
      column-gap: 16px;
      font-size: 0.85em;
      color: var(--secondary-text-color);
    }
    .progress {
      height: 4px;
      margin-top: 4px;
      border-radius: 2px;
      background: var(--divider-color);
      overflow: hidden;
    }
    .bar {
      height: 100%;
      background: var(--primary-color);
    }
    .bar.unknown {
      opacity: 0.4;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      flex: none;
      padding: 4px 12px 4px 8px;
      border: 1px solid var(--primary-color);
      border-radius: 16px;
      background: none;
      color: var(--primary-color);
      font: inherit;
      font-size: 0.9em;
      cursor: pointer;
    }
    button:disabled {
      border-color: var(--disabled-text-color);
      color: var(--disabled-text-color);
      cursor: default;
    }
    button.cancel {
      padding-left: 12px;
      border-color: var(--divider-color);
      color: var(--primary-text-color);
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--divider-color);
      background: var(--secondary-background-color);
    }
    .confirm span {
      flex: 1 1 16em;
    }
    .answers {
      display: flex;
      gap: 8px;
    }
    button.stop {
      border-color: var(--error-color);
      color: var(--error-color);
    }
    ha-icon {
      --mdc-icon-size: 18px;
    }
    .message {
      padding: 16px;
      color: var(--secondary-text-color);
    }
  `};var Ye="home-assistant";function Re(i,e,t){return i.get(e)?!1:(i.define(e,t),!0)}function j(i,e){let t=window.customElements,s=Re(t,i,e);return t.whenDefined(Ye).then(()=>{window.customElements!==t&&Re(window.customElements,i,e)}),s}var Je=[{name:"config_entry_id",selector:{config_entry:{integration:E}}}],re=class extends _{static properties={hass:{attribute:!1},_config:{state:!0}};setConfig(e){this._config=e}updated(){if(!this.hass||!this._config||this._config.config_entry_id)return;let e=M(this.hass);e.length===1&&this._write({...this._config,config_entry_id:e[0].config_entries[0]})}render(){return!this.hass||!this._config?u:p`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${Je}
      .computeLabel=${()=>z(this.hass.locale.language,"server")}
      @value-changed=${e=>this._write(e.detail.value)}
    ></ha-form>`}_write(e){this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:e},bubbles:!0,composed:!0}))}};j("plex-butler-card-editor",re);j("plex-butler-card",I)&&(window.customCards=window.customCards??[],window.customCards.push({type:"plex-butler-card",name:"Plex Butler",description:"The maintenance tasks of a Plex Media Server: state, runs, start and stop.",preview:!0}));
