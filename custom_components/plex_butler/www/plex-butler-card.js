// plex-butler-card, built from frontend/ (sources sha256 5268312a71500d07ef05ba901b333901df62ae669ed8019b07b1306c2c33960e)
var M=globalThis,H=M.ShadowRoot&&(M.ShadyCSS===void 0||M.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,I=Symbol(),ie=new WeakMap,w=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==I)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(H&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=ie.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&ie.set(t,e))}return e}toString(){return this.cssText}},ne=i=>new w(typeof i=="string"?i:i+"",void 0,I),B=(i,...e)=>{let t=i.length===1?i[0]:e.reduce((s,r,n)=>s+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+i[n+1],i[0]);return new w(t,i,I)},oe=(i,e)=>{if(H)i.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),r=M.litNonce;r!==void 0&&s.setAttribute("nonce",r),s.textContent=t.cssText,i.appendChild(s)}},K=H?i=>i:i=>i instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ne(t)})(i):i;var{is:Ce,defineProperty:Pe,getOwnPropertyDescriptor:Re,getOwnPropertyNames:Te,getOwnPropertySymbols:Ne,getPrototypeOf:Oe}=Object,U=globalThis,ae=U.trustedTypes,Me=ae?ae.emptyScript:"",He=U.reactiveElementPolyfillSupport,k=(i,e)=>i,V={toAttribute(i,e){switch(e){case Boolean:i=i?Me:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,e){let t=i;switch(e){case Boolean:t=i!==null;break;case Number:t=i===null?null:Number(i);break;case Object:case Array:try{t=JSON.parse(i)}catch{t=null}}return t}},ce=(i,e)=>!Ce(i,e),le={attribute:!0,type:String,converter:V,reflect:!1,useDefault:!1,hasChanged:ce};Symbol.metadata??=Symbol("metadata"),U.litPropertyMetadata??=new WeakMap;var g=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=le){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),r=this.getPropertyDescriptor(e,s,t);r!==void 0&&Pe(this.prototype,e,r)}}static getPropertyDescriptor(e,t,s){let{get:r,set:n}=Re(this.prototype,e)??{get(){return this[t]},set(o){this[t]=o}};return{get:r,set(o){let l=r?.call(this);n?.call(this,o),this.requestUpdate(e,l,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??le}static _$Ei(){if(this.hasOwnProperty(k("elementProperties")))return;let e=Oe(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(k("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(k("properties"))){let t=this.properties,s=[...Te(t),...Ne(t)];for(let r of s)this.createProperty(r,t[r])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,r]of t)this.elementProperties.set(s,r)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let r=this._$Eu(t,s);r!==void 0&&this._$Eh.set(r,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let r of s)t.unshift(K(r))}else e!==void 0&&t.push(K(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return oe(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),r=this.constructor._$Eu(e,s);if(r!==void 0&&s.reflect===!0){let n=(s.converter?.toAttribute!==void 0?s.converter:V).toAttribute(t,s.type);this._$Em=e,n==null?this.removeAttribute(r):this.setAttribute(r,n),this._$Em=null}}_$AK(e,t){let s=this.constructor,r=s._$Eh.get(e);if(r!==void 0&&this._$Em!==r){let n=s.getPropertyOptions(r),o=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:V;this._$Em=r;let l=o.fromAttribute(t,n.type);this[r]=l??this._$Ej?.get(r)??l,this._$Em=null}}requestUpdate(e,t,s,r=!1,n){if(e!==void 0){let o=this.constructor;if(r===!1&&(n=this[e]),s??=o.getPropertyOptions(e),!((s.hasChanged??ce)(n,t)||s.useDefault&&s.reflect&&n===this._$Ej?.get(e)&&!this.hasAttribute(o._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:r,wrapped:n},o){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,o??t??this[e]),n!==!0||o!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),r===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,n]of this._$Ep)this[r]=n;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[r,n]of s){let{wrapped:o}=n,l=this[r];o!==!0||this._$AL.has(r)||l===void 0||this.C(r,void 0,n,l)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};g.elementStyles=[],g.shadowRootOptions={mode:"open"},g[k("elementProperties")]=new Map,g[k("finalized")]=new Map,He?.({ReactiveElement:g}),(U.reactiveElementVersions??=[]).push("2.1.2");var Q=globalThis,de=i=>i,L=Q.trustedTypes,he=L?L.createPolicy("lit-html",{createHTML:i=>i}):void 0,ve="$lit$",m=`lit$${Math.random().toFixed(9).slice(2)}$`,me="?"+m,Ue=`<${me}>`,b=document,P=()=>b.createComment(""),R=i=>i===null||typeof i!="object"&&typeof i!="function",X=Array.isArray,Le=i=>X(i)||typeof i?.[Symbol.iterator]=="function",q=`[ 	
\f\r]`,C=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ue=/-->/g,pe=/>/g,$=RegExp(`>|${q}(?:([^\\s"'>=/]+)(${q}*=${q}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),_e=/'/g,fe=/"/g,$e=/^(?:script|style|textarea|title)$/i,Y=i=>(e,...t)=>({_$litType$:i,strings:e,values:t}),p=Y(1),Qe=Y(2),Xe=Y(3),A=Symbol.for("lit-noChange"),c=Symbol.for("lit-nothing"),ge=new WeakMap,y=b.createTreeWalker(b,129);function ye(i,e){if(!X(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return he!==void 0?he.createHTML(e):e}var De=(i,e)=>{let t=i.length-1,s=[],r,n=e===2?"<svg>":e===3?"<math>":"",o=C;for(let l=0;l<t;l++){let a=i[l],h,u,d=-1,f=0;for(;f<a.length&&(o.lastIndex=f,u=o.exec(a),u!==null);)f=o.lastIndex,o===C?u[1]==="!--"?o=ue:u[1]!==void 0?o=pe:u[2]!==void 0?($e.test(u[2])&&(r=RegExp("</"+u[2],"g")),o=$):u[3]!==void 0&&(o=$):o===$?u[0]===">"?(o=r??C,d=-1):u[1]===void 0?d=-2:(d=o.lastIndex-u[2].length,h=u[1],o=u[3]===void 0?$:u[3]==='"'?fe:_e):o===fe||o===_e?o=$:o===ue||o===pe?o=C:(o=$,r=void 0);let v=o===$&&i[l+1].startsWith("/>")?" ":"";n+=o===C?a+Ue:d>=0?(s.push(h),a.slice(0,d)+ve+a.slice(d)+m+v):a+m+(d===-2?l:v)}return[ye(i,n+(i[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},T=class i{constructor({strings:e,_$litType$:t},s){let r;this.parts=[];let n=0,o=0,l=e.length-1,a=this.parts,[h,u]=De(e,t);if(this.el=i.createElement(h,s),y.currentNode=this.el.content,t===2||t===3){let d=this.el.content.firstChild;d.replaceWith(...d.childNodes)}for(;(r=y.nextNode())!==null&&a.length<l;){if(r.nodeType===1){if(r.hasAttributes())for(let d of r.getAttributeNames())if(d.endsWith(ve)){let f=u[o++],v=r.getAttribute(d).split(m),O=/([.?@])?(.*)/.exec(f);a.push({type:1,index:n,name:O[2],strings:v,ctor:O[1]==="."?F:O[1]==="?"?G:O[1]==="@"?J:x}),r.removeAttribute(d)}else d.startsWith(m)&&(a.push({type:6,index:n}),r.removeAttribute(d));if($e.test(r.tagName)){let d=r.textContent.split(m),f=d.length-1;if(f>0){r.textContent=L?L.emptyScript:"";for(let v=0;v<f;v++)r.append(d[v],P()),y.nextNode(),a.push({type:2,index:++n});r.append(d[f],P())}}}else if(r.nodeType===8)if(r.data===me)a.push({type:2,index:n});else{let d=-1;for(;(d=r.data.indexOf(m,d+1))!==-1;)a.push({type:7,index:n}),d+=m.length-1}n++}}static createElement(e,t){let s=b.createElement("template");return s.innerHTML=e,s}};function S(i,e,t=i,s){if(e===A)return e;let r=s!==void 0?t._$Co?.[s]:t._$Cl,n=R(e)?void 0:e._$litDirective$;return r?.constructor!==n&&(r?._$AO?.(!1),n===void 0?r=void 0:(r=new n(i),r._$AT(i,t,s)),s!==void 0?(t._$Co??=[])[s]=r:t._$Cl=r),r!==void 0&&(e=S(i,r._$AS(i,e.values),r,s)),e}var W=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,r=(e?.creationScope??b).importNode(t,!0);y.currentNode=r;let n=y.nextNode(),o=0,l=0,a=s[0];for(;a!==void 0;){if(o===a.index){let h;a.type===2?h=new N(n,n.nextSibling,this,e):a.type===1?h=new a.ctor(n,a.name,a.strings,this,e):a.type===6&&(h=new Z(n,this,e)),this._$AV.push(h),a=s[++l]}o!==a?.index&&(n=y.nextNode(),o++)}return y.currentNode=b,r}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},N=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,r){this.type=2,this._$AH=c,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=S(this,e,t),R(e)?e===c||e==null||e===""?(this._$AH!==c&&this._$AR(),this._$AH=c):e!==this._$AH&&e!==A&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Le(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==c&&R(this._$AH)?this._$AA.nextSibling.data=e:this.T(b.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,r=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=T.createElement(ye(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===r)this._$AH.p(t);else{let n=new W(r,this),o=n.u(this.options);n.p(t),this.T(o),this._$AH=n}}_$AC(e){let t=ge.get(e.strings);return t===void 0&&ge.set(e.strings,t=new T(e)),t}k(e){X(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,r=0;for(let n of e)r===t.length?t.push(s=new i(this.O(P()),this.O(P()),this,this.options)):s=t[r],s._$AI(n),r++;r<t.length&&(this._$AR(s&&s._$AB.nextSibling,r),t.length=r)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=de(e).nextSibling;de(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},x=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,r,n){this.type=1,this._$AH=c,this._$AN=void 0,this.element=e,this.name=t,this._$AM=r,this.options=n,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=c}_$AI(e,t=this,s,r){let n=this.strings,o=!1;if(n===void 0)e=S(this,e,t,0),o=!R(e)||e!==this._$AH&&e!==A,o&&(this._$AH=e);else{let l=e,a,h;for(e=n[0],a=0;a<n.length-1;a++)h=S(this,l[s+a],t,a),h===A&&(h=this._$AH[a]),o||=!R(h)||h!==this._$AH[a],h===c?e=c:e!==c&&(e+=(h??"")+n[a+1]),this._$AH[a]=h}o&&!r&&this.j(e)}j(e){e===c?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},F=class extends x{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===c?void 0:e}},G=class extends x{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==c)}},J=class extends x{constructor(e,t,s,r,n){super(e,t,s,r,n),this.type=5}_$AI(e,t=this){if((e=S(this,e,t,0)??c)===A)return;let s=this._$AH,r=e===c&&s!==c||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,n=e!==c&&(s===c||r);r&&this.element.removeEventListener(this.name,this,s),n&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},Z=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){S(this,e)}};var ze=Q.litHtmlPolyfillSupport;ze?.(T,N),(Q.litHtmlVersions??=[]).push("3.3.3");var be=(i,e,t)=>{let s=t?.renderBefore??e,r=s._$litPart$;if(r===void 0){let n=t?.renderBefore??null;s._$litPart$=r=new N(e.insertBefore(P(),n),n,void 0,t??{})}return r._$AI(i),r};var ee=globalThis,_=class extends g{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=be(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return A}};_._$litElement$=!0,_.finalized=!0,ee.litElementHydrateSupport?.({LitElement:_});var je=ee.litElementPolyfillSupport;je?.({LitElement:_});(ee.litElementVersions??=[]).push("4.2.2");var E="plex_butler",Ae={task_status:"status",last_run:"lastRun",next_run:"nextRun",start_task:"start",stop_task:"stop"},Se={maintenance_running:"maintenance",live_updates:"liveUpdates",running_tasks:"runningTasks",start_all_tasks:"startAll",stop_all_tasks:"stopAll"};function te(i){let e=new Set(Object.values(i.entities).filter(t=>t.platform===E&&t.translation_key==="running_tasks").map(t=>t.device_id));return Object.values(i.devices).filter(t=>e.has(t.id))}function xe(i,e){let t=te(i),s=e.config_entry_id;return s?t.find(r=>r.config_entries.includes(s))??"unknown_server":t.length===0?"no_server":t.length===1?t[0]:"choose_server"}function Ie(i,e,t){let s=e.device_id?i.devices[e.device_id]:void 0;return!s||s.id===t.id?null:s.name_by_user||s.name}function Ee(i,e){let t=new Set([e.id]);for(let n of Object.values(i.devices))(n.parent_device_id===e.id||n.via_device_id===e.id)&&t.add(n.id);let s={device:e,entities:{},tasks:[]},r=new Map;for(let n of Object.values(i.entities)){if(n.platform!==E||!t.has(n.device_id??""))continue;let o=n.translation_key??"";if(o in Se){s.entities[Se[o]]=n.entity_id;continue}let l=i.states[n.entity_id]?.attributes.task_name;if(!(o in Ae)||typeof l!="string")continue;let a=r.get(l);a||(a={name:l,title:l,entities:{}},r.set(l,a));let h=Ae[o];a.entities[h]=n.entity_id,h==="status"&&(a.title=n.name||Ie(i,n,e)||l)}return s.tasks=[...r.values()].filter(n=>n.entities.status).sort((n,o)=>n.title.localeCompare(o.title,i.locale.language)),s}var we={en:{maintenance:"Maintenance",live_updates:"Live updates",start_all:"Start all",stop_all:"Stop all",start:"Start",stop:"Stop",last_run:"Last run",next_run:"Next run",never:"never",not_seen:"not seen yet",debug_log_off:"the server's debug log is off",debug_log_off_detail:"Its runs show only in the server's debug log, which is off.",source_observed:"seen",source_server_log:"server log",source_backup_file:"backup file",source_started_here:"started here",no_server:"No Plex Butler server is set up.",choose_server:"Several Plex servers are set up: choose one in the card's settings.",unknown_server:"The chosen Plex server is no longer set up.",no_tasks:"No tasks to show: the server is unavailable or reports none.",server:"Plex server"},de:{maintenance:"Wartung",live_updates:"Live-Updates",start_all:"Alle starten",stop_all:"Alle stoppen",start:"Starten",stop:"Stoppen",last_run:"Letzter Lauf",next_run:"N\xE4chster Lauf",never:"nie",not_seen:"noch nicht gesehen",debug_log_off:"das Debug-Log des Servers ist aus",debug_log_off_detail:"Ihre L\xE4ufe zeigen sich nur im Debug-Log des Servers, und das ist aus.",source_observed:"gesehen",source_server_log:"Server-Log",source_backup_file:"Sicherungsdatei",source_started_here:"hier gestartet",no_server:"Es ist kein Plex-Butler-Server eingerichtet.",choose_server:"Mehrere Plex-Server sind eingerichtet: W\xE4hle einen in den Einstellungen der Karte.",unknown_server:"Der gew\xE4hlte Plex-Server ist nicht mehr eingerichtet.",no_tasks:"Keine Aufgaben: Der Server ist nicht erreichbar oder meldet keine.",server:"Plex-Server"},fr:{maintenance:"Maintenance",live_updates:"Mises \xE0 jour en direct",start_all:"Tout lancer",stop_all:"Tout arr\xEAter",start:"Lancer",stop:"Arr\xEAter",last_run:"Derni\xE8re ex\xE9cution",next_run:"Prochaine ex\xE9cution",never:"jamais",not_seen:"pas encore vue",debug_log_off:"le journal de d\xE9bogage du serveur est d\xE9sactiv\xE9",debug_log_off_detail:"Ses ex\xE9cutions n'apparaissent que dans le journal de d\xE9bogage du serveur, qui est d\xE9sactiv\xE9.",source_observed:"vue",source_server_log:"journal du serveur",source_backup_file:"fichier de sauvegarde",source_started_here:"lanc\xE9e ici",no_server:"Aucun serveur Plex Butler n'est configur\xE9.",choose_server:"Plusieurs serveurs Plex sont configur\xE9s : choisissez-en un dans les param\xE8tres de la carte.",unknown_server:"Le serveur Plex choisi n'est plus configur\xE9.",no_tasks:"Aucune t\xE2che \xE0 afficher : le serveur est indisponible ou n'en signale aucune.",server:"Serveur Plex"},es:{maintenance:"Mantenimiento",live_updates:"Actualizaciones en directo",start_all:"Iniciar todas",stop_all:"Detener todas",start:"Iniciar",stop:"Detener",last_run:"\xDAltima ejecuci\xF3n",next_run:"Pr\xF3xima ejecuci\xF3n",never:"nunca",not_seen:"a\xFAn no vista",debug_log_off:"el registro de depuraci\xF3n del servidor est\xE1 desactivado",debug_log_off_detail:"Sus ejecuciones solo aparecen en el registro de depuraci\xF3n del servidor, que est\xE1 desactivado.",source_observed:"vista",source_server_log:"registro del servidor",source_backup_file:"copia de seguridad",source_started_here:"iniciada aqu\xED",no_server:"No hay ning\xFAn servidor de Plex Butler configurado.",choose_server:"Hay varios servidores Plex configurados: elige uno en los ajustes de la tarjeta.",unknown_server:"El servidor Plex elegido ya no est\xE1 configurado.",no_tasks:"No hay tareas que mostrar: el servidor no est\xE1 disponible o no informa de ninguna.",server:"Servidor Plex"},nl:{maintenance:"Onderhoud",live_updates:"Live-updates",start_all:"Alles starten",stop_all:"Alles stoppen",start:"Starten",stop:"Stoppen",last_run:"Laatste uitvoering",next_run:"Volgende uitvoering",never:"nooit",not_seen:"nog niet gezien",debug_log_off:"het debuglogboek van de server staat uit",debug_log_off_detail:"De uitvoeringen staan alleen in het debuglogboek van de server, en dat staat uit.",source_observed:"gezien",source_server_log:"serverlogboek",source_backup_file:"back-upbestand",source_started_here:"hier gestart",no_server:"Er is geen Plex Butler-server ingesteld.",choose_server:"Er zijn meerdere Plex-servers ingesteld: kies er een in de instellingen van de kaart.",unknown_server:"De gekozen Plex-server is niet meer ingesteld.",no_tasks:"Geen taken: de server is niet beschikbaar of meldt er geen.",server:"Plex-server"},it:{maintenance:"Manutenzione",live_updates:"Aggiornamenti in tempo reale",start_all:"Avvia tutte",stop_all:"Ferma tutte",start:"Avvia",stop:"Ferma",last_run:"Ultima esecuzione",next_run:"Prossima esecuzione",never:"mai",not_seen:"non ancora vista",debug_log_off:"il log di debug del server \xE8 disattivato",debug_log_off_detail:"Le esecuzioni compaiono solo nel log di debug del server, che \xE8 disattivato.",source_observed:"vista",source_server_log:"log del server",source_backup_file:"file di backup",source_started_here:"avviata qui",no_server:"Nessun server Plex Butler configurato.",choose_server:"Sono configurati pi\xF9 server Plex: scegline uno nelle impostazioni della scheda.",unknown_server:"Il server Plex scelto non \xE8 pi\xF9 configurato.",no_tasks:"Nessuna attivit\xE0 da mostrare: il server non \xE8 disponibile o non ne segnala.",server:"Server Plex"}};function D(i,e){return(we[i.split("-")[0]]??we.en)[e]}var Be=[["year",365*86400],["month",30*86400],["week",7*86400],["day",86400],["hour",3600],["minute",60]];function se(i,e,t){let s=(e.getTime()-t.getTime())/1e3,r=new Intl.RelativeTimeFormat(i,{numeric:"auto"});for(let[n,o]of Be)if(Math.abs(s)>=o)return r.format(Math.round(s/o),n);return r.format(Math.round(s),"second")}var Ke=3e4,Ve=new Map([["observed","source_observed"],["server_log","source_server_log"],["backup_file","source_backup_file"],["started_here","source_started_here"]]),z=class extends _{static properties={hass:{attribute:!1},_config:{state:!0}};_clock;static getConfigElement(){return document.createElement("plex-butler-card-editor")}static getStubConfig(e){let[t]=te(e);return t?{config_entry_id:t.config_entries[0]}:{}}setConfig(e){this._config=e}getCardSize(){let e=this.hass&&this._config?this._server():void 0;return 2+(typeof e=="object"?e.tasks.length:0)}getGridOptions(){return{columns:12,min_columns:6}}connectedCallback(){super.connectedCallback(),this._clock=window.setInterval(()=>this.requestUpdate(),Ke)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this._clock)}_t(e){return D(this.hass.locale.language,e)}_server(){let e=xe(this.hass,this._config);return typeof e=="string"?e:Ee(this.hass,e)}_state(e){return e?this.hass.states[e]:void 0}_format(e){return this.hass.formatEntityState?.(e)??e.state}_nextRun(e){let t=this._state(e);if(!t||t.state==="unavailable")return c;let s=new Date(t.state),r=Number.isNaN(s.getTime())?this._t("never"):se(this.hass.locale.language,s,new Date);return p`<span class="next_run" title=${this._format(t)}
      >${this._t("next_run")}: ${r}</span
    >`}_lastRun(e){let t=this._state(e);if(!t||t.state==="unavailable")return c;let{source:s,precision:r,not_seen_reason:n}=t.attributes,o=this.hass.locale.language,l=new Date(t.state),a,h,u;if(Number.isNaN(l.getTime()))a=this._t("not_seen"),h=a,n==="debug_log_off"&&(u={kind:"hint",key:"debug_log_off"},h=this._t("debug_log_off_detail"));else{a=r==="day"?new Intl.DateTimeFormat(o,{dateStyle:"medium",timeZone:this.hass.config.time_zone}).format(l):se(o,l,new Date),h=r==="day"?a:this._format(t);let d=typeof s=="string"?Ve.get(s):void 0;d&&(u={kind:"source",key:d})}return p`<span class="last_run" title=${h}
      >${this._t("last_run")}: ${a}${u?p`<span class=${u.kind}> · ${this._t(u.key)}</span>`:c}</span
    >`}_percent(e){return new Intl.NumberFormat(this.hass.locale.language,{style:"percent"}).format(e/100)}_press(e){this.hass.callService("button","press",{entity_id:e}).catch(()=>{})}_moreInfo(e){this.dispatchEvent(new CustomEvent("hass-more-info",{detail:{entityId:e},bubbles:!0,composed:!0}))}_button(e,t,s){let r=this._state(t);return!r||r.state==="unavailable"?c:p`<button class=${e} @click=${()=>this._press(r.entity_id)}>
      <ha-icon icon=${e==="start"?"mdi:play":"mdi:stop"}></ha-icon>${this._t(s)}
    </button>`}_chip(e,t){let s=this._state(t);return s?p`<span class="chip ${s.state}" data-chip=${e}
      >${this._t(e)}: ${this._format(s)}</span
    >`:c}_progressBar(e){return p`<div class="progress">
      <div class=${e===void 0?"bar unknown":"bar"} style="width: ${e??100}%"></div>
    </div>`}_task(e){let t=this._state(e.entities.status),s=t.state==="running",{progress:r}=t.attributes,n=typeof r=="number"?r:void 0,o=s?"stop":"start",l=this._format(t);return p`<div class="task ${t.state}" data-task=${e.name}>
      <div class="main">
        <div class="title" @click=${()=>this._moreInfo(e.entities.status)}>
          ${e.title}
          <span class="state">
            ${n===void 0?l:`${l} \xB7 ${this._percent(n)}`}
          </span>
        </div>
        <div class="runs">
          ${this._lastRun(e.entities.lastRun)}
          ${this._nextRun(e.entities.nextRun)}
        </div>
        ${s?this._progressBar(n):c}
      </div>
      ${this._button(o,e.entities[o],o)}
    </div>`}render(){if(!this.hass||!this._config)return c;let e=this._server();if(typeof e=="string")return p`<ha-card><div class="message">${this._t(e)}</div></ha-card>`;let{entities:t}=e;return p`<ha-card>
      <div class="header">
        <div class="name">${e.device.name_by_user??e.device.name??E}</div>
        <div class="chips">
          ${this._chip("maintenance",t.maintenance)}
          ${this._chip("live_updates",t.liveUpdates)}
        </div>
        <div class="all">
          ${this._button("start",t.startAll,"start_all")}
          ${this._button("stop",t.stopAll,"stop_all")}
        </div>
      </div>
      ${e.tasks.length?e.tasks.map(s=>this._task(s)):p`<div class="message">${this._t("no_tasks")}</div>`}
    </ha-card>`}static styles=B`
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
  `};var qe="home-assistant";function ke(i,e,t){return i.get(e)?!1:(i.define(e,t),!0)}function j(i,e){let t=window.customElements,s=ke(t,i,e);return t.whenDefined(qe).then(()=>{window.customElements!==t&&ke(window.customElements,i,e)}),s}var We=[{name:"config_entry_id",selector:{config_entry:{integration:E}}}],re=class extends _{static properties={hass:{attribute:!1},_config:{state:!0}};setConfig(e){this._config=e}render(){return!this.hass||!this._config?c:p`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${We}
      .computeLabel=${()=>D(this.hass.locale.language,"server")}
      @value-changed=${this._changed}
    ></ha-form>`}_changed(e){this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:e.detail.value},bubbles:!0,composed:!0}))}};j("plex-butler-card-editor",re);j("plex-butler-card",z)&&(window.customCards=window.customCards??[],window.customCards.push({type:"plex-butler-card",name:"Plex Butler",description:"The maintenance tasks of a Plex Media Server: state, runs, start and stop.",preview:!0}));
