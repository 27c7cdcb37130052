//! The observer app: a progressive web app for the field, served under `/field/`.
//!
//! - **Installable, offline.** A manifest and a service worker (`/field/sw.js`, scope `/field/`) that
//!   caches the app's shell (page, script, manifest, icon) and answers from the cache when the network
//!   is gone; it fetches afresh whenever it can, so the app updates itself.
//! - **The key stays on the device.** The observer imports, once and online, a key file sealed with a
//!   passphrase (`truce mission seal-key`): WebCrypto derives the AES key with PBKDF2, opens the seed
//!   and imports it as a **non-extractable** Ed25519 key kept in IndexedDB. The API token, the log's
//!   key, the media policy and the key's next sequence number are kept beside it.
//! - **Capture, sign, queue.** An observation is filled in on the device (time, position from the
//!   device or typed, class from the mission's vocabulary, count, bearing, distance, sensor, note,
//!   photos), its photos stripped of location metadata when the mission's policy says so (JPEG APP1
//!   and APP13 segments, PNG text and `eXIf` chunks) **before** they are hashed, signed with the next
//!   sequence number, and queued in IndexedDB with its files.
//! - **Sync.** When the network is back (and at start, and on demand) the queue goes up in sequence
//!   order: each file (`PUT /v1/media/{sha256}`), then the entry. Its receipt (the index, then the
//!   inclusion proof and the checkpoint from `GET /v1/entries/N/proof`) is verified on the device (the
//!   RFC 9162 walk and the log's Ed25519 signature, against the log key fetched at import) and kept. A
//!   replayed sequence number is refused by the log, never stored twice, and the item shows it was
//!   already recorded; any other refusal shows the server's reason.
//!
//! The pages' rules hold: the shell's scripts are this server's own files (`/field/app.js`), values
//! from the server reach the page through `textContent` only, and the API is called with the token in
//! an `Authorization` header, never with a cookie.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, PreEscaped, html};
use truce_store::Store;

use crate::AppState;

type St<S> = State<std::sync::Arc<AppState<S>>>;

/// The shell's version: the service worker's cache is named after it, so a new version replaces it.
const VERSION: &str = "truce-field-1";

/// `GET /field/`: the app's shell, the same for everyone (the mission's vocabulary is public, in the
/// mission entry).
pub(crate) async fn shell<S: Store>(State(st): St<S>) -> Response {
    let (parties, classes) = crate::pages::mission_vocabulary(&st);
    let data = serde_json::json!({
        "parties": parties,
        "classes": classes,
        "sensors": ["saw", "heard", "camera", "uav", "crater_analysis", "patrol"],
    });
    let data = data.to_string().replace('<', "\\u003c");
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="theme-color" content="#1d3557";
                title { "Truce field" }
                link rel="manifest" href="/field/manifest.webmanifest";
                link rel="icon" href="/field/icon.svg";
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { h1 { "Truce field" } p #net role="status" aria-live="polite" { "…" } }
                main {
                    section #setup hidden {
                        h2 { "Set up this device" }
                        p { "Once, with a connection: your API token, your sealed key file (made with " code { "truce mission seal-key" } ") and its passphrase. The key is opened here and kept on this device only; it cannot be read back out." }
                        p { label for="token" { "API token" } input #token type="password" autocomplete="off"; }
                        p { label for="sealed" { "Sealed key file" } textarea #sealed rows="5" {} }
                        p { label for="sealed-file" { "…or choose the file" } input #sealed-file type="file"; }
                        p { label for="passphrase" { "Passphrase" } input #passphrase type="password" autocomplete="off"; }
                        p { button #import type="button" { "Import the key" } }
                    }
                    section #capture hidden {
                        h2 { "Record an observation" }
                        p #who {}
                        form #observe {
                            fieldset {
                                legend { "When and where" }
                                p { label for="start" { "Start (UTC)" } input #start type="datetime-local" required; }
                                p { label for="minutes" { "Lasted (minutes)" } input #minutes type="number" min="0" value="5" required; }
                                p { label for="lat" { "Latitude (°)" } input #lat type="number" step="0.000001" min="-90" max="90" required; }
                                p { label for="lon" { "Longitude (°)" } input #lon type="number" step="0.000001" min="-180" max="180" required; }
                                p { button #locate type="button" { "Use this device's position" } }
                                p { label for="controlled_by" { "Area controlled by (as observed)" } select #controlled_by {} }
                            }
                            fieldset {
                                legend { "What" }
                                p { label for="class" { "Class" } select #class {} }
                                p { label for="sensor" { "Sensor" } select #sensor {} }
                                p { label for="count" { "Count" } input #count type="number" min="0" value="1" required; }
                                p { input #approximate type="checkbox"; " " label for="approximate" { "approximately" } }
                                p { label for="bearing" { "Bearing to the event (°, optional)" } input #bearing type="number" min="0" max="359"; }
                                p { label for="distance" { "Distance (m, optional)" } input #distance type="number" min="0"; }
                                p { label for="note" { "Note (optional)" } input #note; }
                                p { label for="photos" { "Photos, video or sound (optional)" } input #photos type="file" multiple accept="image/*,video/*,audio/*"; }
                            }
                            p { button type="submit" { "Sign and queue" } }
                        }
                        p #captured role="status" aria-live="polite" {}
                    }
                    section #queue-section hidden {
                        h2 { "Queue" }
                        p #summary role="status" aria-live="polite" {}
                        p { button #sync type="button" { "Sync now" } }
                        ol #queue {}
                    }
                }
                script type="application/json" #field-data { (PreEscaped(data)) }
                script src="/field/app.js" {}
            }
        }
    };
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        page.into_string(),
    )
        .into_response()
}

/// `GET /field/app.js`: the app: signing as the pages sign, proofs checked as the entry page checks
/// them, and the app itself.
pub(crate) async fn script() -> Response {
    let js = format!("{}\n{}\n{}", crate::pages::SIGNING_JS, crate::pages::PROOF_CORE_JS, APP_JS);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        js,
    )
        .into_response()
}

/// `GET /field/sw.js`: the service worker.
pub(crate) async fn worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("service-worker-allowed"), "/field/"),
        ],
        WORKER_JS.replace("VERSION", VERSION),
    )
        .into_response()
}

/// `GET /field/manifest.webmanifest`.
pub(crate) async fn manifest() -> Response {
    let m = serde_json::json!({
        "name": "Truce field",
        "short_name": "Truce",
        "description": "Record observations offline, signed on this device, and sync them to the mission's log.",
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d3557",
        "icons": [{"src": "/field/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    });
    ([(header::CONTENT_TYPE, "application/manifest+json")], m.to_string()).into_response()
}

/// `GET /field/icon.svg`.
pub(crate) async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "max-age=86400")], ICON)
        .into_response()
}

const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1d3557"/><path d="M20 52 L40 70 L76 28" fill="none" stroke="#f1faee" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#fff}\
header{background:#1d3557;color:#f1faee;padding:.5rem 1rem}header h1{margin:0;font-size:1.3rem}header p{margin:.2rem 0 0}\
main{padding:0 1rem 2rem;max-width:40rem}label{display:block;font-weight:600}input,select,textarea,button{font-size:1rem;max-width:100%;box-sizing:border-box}\
input:not([type=checkbox]),select,textarea{width:100%;padding:.4rem}button{padding:.6rem 1rem;margin:.2rem 0;background:#1d3557;color:#fff;border:0;border-radius:.3rem}\
label[for=approximate]{display:inline}button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #e63946;outline-offset:2px}fieldset{border:1px solid #999;margin:.5rem 0}\
#queue li{margin:.3rem 0;padding:.3rem;border-left:4px solid #999}#queue li[data-state=recorded]{border-color:#2a9d8f}\
#queue li[data-state=refused]{border-color:#e63946}#queue li[data-state=duplicate]{border-color:#e9c46a}";

/// The service worker: the shell from the network when it answers, from the cache when it does not.
const WORKER_JS: &str = r#"const CACHE='VERSION';
const SHELL=['/field/','/field/app.js','/field/manifest.webmanifest','/field/icon.svg'];
self.addEventListener('install',e=>{e.waitUntil(caches.open(CACHE).then(c=>c.addAll(SHELL)).then(()=>self.skipWaiting()));});
self.addEventListener('activate',e=>{e.waitUntil(caches.keys().then(ks=>Promise.all(ks.filter(k=>k!==CACHE).map(k=>caches.delete(k)))).then(()=>self.clients.claim()));});
self.addEventListener('fetch',e=>{
 const u=new URL(e.request.url);
 if(e.request.method!=='GET'||u.origin!==location.origin||!u.pathname.startsWith('/field/'))return;
 const key=u.pathname==='/field/index.html'?'/field/':u.pathname;
 e.respondWith(fetch(e.request).then(r=>{if(r.ok){const copy=r.clone();caches.open(CACHE).then(c=>c.put(key,copy));}return r;})
  .catch(()=>caches.match(key).then(r=>r||new Response('offline, and this file was never cached',{status:503}))));
});"#;

/// The app.
const APP_JS: &str = r#"(function(){
const $=id=>document.getElementById(id);
const data=JSON.parse($('field-data').textContent);
const enc=new TextEncoder();
const hex=b=>[...b].map(x=>x.toString(16).padStart(2,'0')).join('');
const cat=(...a)=>{const r=new Uint8Array(a.reduce((n,x)=>n+x.length,0));let o=0;for(const x of a){r.set(x,o);o+=x.length;}return r;};
const P=r=>new Promise((res,rej)=>{r.onsuccess=()=>res(r.result);r.onerror=()=>rej(r.error);});
const done=t=>new Promise((res,rej)=>{t.oncomplete=()=>res();t.onerror=()=>rej(t.error);t.onabort=()=>rej(t.error);});
const DB=new Promise((res,rej)=>{const r=indexedDB.open('truce-field',1);
 r.onupgradeneeded=()=>{r.result.createObjectStore('config');r.result.createObjectStore('queue',{keyPath:'id',autoIncrement:true});};
 r.onsuccess=()=>res(r.result);r.onerror=()=>rej(r.error);});
async function cget(k){const db=await DB;return P(db.transaction('config').objectStore('config').get(k));}
async function cput(k,v){const db=await DB;const t=db.transaction('config','readwrite');t.objectStore('config').put(v,k);await done(t);}
async function items(){const db=await DB;return P(db.transaction('queue').objectStore('queue').getAll());}
async function save(it){const db=await DB;const t=db.transaction('queue','readwrite');const r=t.objectStore('queue').put(it);await done(t);return r.result;}
// The next sequence number, taken and raised in one transaction: a number is never used twice.
async function takeSeq(){const db=await DB;const t=db.transaction('config','readwrite');const s=t.objectStore('config');
 const k=await P(s.get('key'));const seq=k.next;k.next=seq+1;s.put(k,'key');await done(t);return seq;}
function say(id,text){$(id).textContent=text;}
function fill(sel,values){const s=$(sel);s.textContent='';for(const v of values){const o=document.createElement('option');o.textContent=v;s.appendChild(o);}}
fill('class',data.classes);fill('sensor',data.sensors);fill('controlled_by',[...data.parties,'unknown']);
function online(){say('net',navigator.onLine?'Online: the queue syncs by itself.':'Offline: observations are signed and queued on this device.');}
addEventListener('online',()=>{online();sync();});addEventListener('offline',online);online();
if('serviceWorker' in navigator)navigator.serviceWorker.register('/field/sw.js',{scope:'/field/'}).catch(e=>console.error(e));

async function api(path,opts={}){const cfg=await cget('server');const headers=Object.assign({authorization:'Bearer '+cfg.token},opts.headers||{});
 return fetch(path,Object.assign({},opts,{headers,credentials:'omit',cache:'no-store'}));}

// Setup: open the sealed key with WebCrypto and keep it non-extractable.
async function openSealed(text,pass){
 const L=text.trim().split(/\r?\n/);
 if(L[0]!=='truce-key-sealed/v1'||L.length<5)throw new Error('this is not a sealed key file (truce-key-sealed/v1): seal your key with truce mission seal-key');
 const [kdf,iters,salt]=L[2].split(' ');if(kdf!=='pbkdf2-sha256')throw new Error('unknown key derivation '+kdf);
 const b64=s=>Uint8Array.from(atob(s.trim()),c=>c.charCodeAt(0));
 const base=await crypto.subtle.importKey('raw',enc.encode(pass),'PBKDF2',false,['deriveKey']);
 const aes=await crypto.subtle.deriveKey({name:'PBKDF2',hash:'SHA-256',salt:b64(salt),iterations:Number(iters)},base,{name:'AES-GCM',length:256},false,['decrypt']);
 let seed;try{seed=new Uint8Array(await crypto.subtle.decrypt({name:'AES-GCM',iv:b64(L[3]),additionalData:enc.encode('truce-key-sealed/v1\n'+L[1]+'\n')},aes,b64(L[4])));}
 catch(e){throw new Error('wrong passphrase, or the file was changed');}
 const pkcs8=new Uint8Array(48);pkcs8.set([0x30,0x2e,0x02,0x01,0x00,0x30,0x05,0x06,0x03,0x2b,0x65,0x70,0x04,0x22,0x04,0x20]);pkcs8.set(seed,16);
 const once=await crypto.subtle.importKey('pkcs8',pkcs8,{name:'Ed25519'},true,['sign']);
 const jwk=await crypto.subtle.exportKey('jwk',once);
 const key=await crypto.subtle.importKey('pkcs8',pkcs8,{name:'Ed25519'},false,['sign']);
 seed.fill(0);pkcs8.fill(0);
 return {name:L[1],author:hex(Uint8Array.from(atob(b64url(jwk.x)),c=>c.charCodeAt(0))),key};
}
$('sealed-file').addEventListener('change',async ev=>{const f=ev.target.files[0];if(f)$('sealed').value=await f.text();});
$('import').addEventListener('click',async()=>{
 try{say('net','Importing…');const token=$('token').value.trim();
  const k=await openSealed($('sealed').value,$('passphrase').value);$('passphrase').value='';
  await cput('server',{token});
  const who=await api('/v1/whoami');if(!who.ok)throw new Error('the server refused the token (HTTP '+who.status+')');
  const seq=await api('/v1/keys/'+k.author+'/sequence');if(!seq.ok)throw new Error('this key is not yours on this server (HTTP '+seq.status+'): ask the mission to record that you hold it');
  const vkey=await (await api('/log/vkey')).text();
  const policy=await (await api('/v1/media')).json();
  await cput('server',{token,vkey:vkey.trim(),policy});
  await cput('key',{name:k.name,author:k.author,key:k.key,next:(await seq.json()).next});
  $('token').value='';$('sealed').value='';await start();
 }catch(e){say('net','Not imported: '+e.message);}
});
$('locate').addEventListener('click',()=>{if(!navigator.geolocation){say('captured','This device gives no position: type it in.');return;}
 navigator.geolocation.getCurrentPosition(p=>{$('lat').value=p.coords.latitude.toFixed(6);$('lon').value=p.coords.longitude.toFixed(6);},
  e=>say('captured','No position from the device ('+e.message+'): type it in.'),{enableHighAccuracy:true,timeout:15000});});

// Location metadata goes before hashing, when the mission strips it.
function stripJpeg(b){if(b[0]!==0xFF||b[1]!==0xD8)return b;const out=[b.subarray(0,2)];let i=2;
 while(i+4<=b.length&&b[i]===0xFF){const m=b[i+1];if(m===0xDA){out.push(b.subarray(i));return cat(...out);}
  const len=(b[i+2]<<8)|b[i+3];if(len<2)break;if(m!==0xE1&&m!==0xED)out.push(b.subarray(i,i+2+len));i+=2+len;}
 out.push(b.subarray(i));return cat(...out);}
function stripPng(b){const sig=[137,80,78,71,13,10,26,10];if(!sig.every((x,i)=>b[i]===x))return b;const out=[b.subarray(0,8)];let i=8;
 while(i+12<=b.length){const len=((b[i]<<24)>>>0)+(b[i+1]<<16)+(b[i+2]<<8)+b[i+3];const type=String.fromCharCode(...b.subarray(i+4,i+8));
  if(!['eXIf','tEXt','iTXt','zTXt'].includes(type))out.push(b.subarray(i,i+12+len));i+=12+len;if(type==='IEND')break;}
 return cat(...out);}
async function prepare(file,policy){let b=new Uint8Array(await file.arrayBuffer());
 if(policy.location==='strip'){if(file.type==='image/jpeg')b=stripJpeg(b);else if(file.type==='image/png')b=stripPng(b);}
 if(b.length>policy.max_bytes)throw new Error(file.name+' has '+b.length+' bytes, over the mission\u2019s limit of '+policy.max_bytes);
 const hash=hex(new Uint8Array(await crypto.subtle.digest('SHA-256',b)));
 return {hash,bytes:b.length,type:file.type||'application/octet-stream',name:file.name,data:b.buffer.slice(b.byteOffset,b.byteOffset+b.length)};}
async function signWith(k,body,seq){const msg=enc.encode('truce.entry/v2\n'+canon({author:k.author,body,seq}));
 const sig=new Uint8Array(await crypto.subtle.sign({name:'Ed25519'},k.key,msg));
 return canon({author:k.author,body,seq,sig:btoa(String.fromCharCode(...sig))});}
$('observe').addEventListener('submit',async ev=>{ev.preventDefault();
 try{const v=id=>$(id).value;const cfg=await cget('server');const k=await cget('key');
  const start=new Date(v('start')+'Z');if(isNaN(start))throw new Error('the start time is not a date');
  const iso=d=>d.toISOString().replace(/\.\d{3}Z$/,'Z');
  const body={kind:'observation',start:iso(start),end:iso(new Date(start.getTime()+60000*Number(v('minutes')||0))),
   lat_e6:Math.round(parseFloat(v('lat'))*1e6),lon_e6:Math.round(parseFloat(v('lon'))*1e6),controlled_by:v('controlled_by'),
   sensor:v('sensor'),class:v('class'),count:parseInt(v('count'),10),approximate:$('approximate').checked};
  if(v('bearing')!=='')body.bearing_deg=parseInt(v('bearing'),10);if(v('distance')!=='')body.distance_m=parseInt(v('distance'),10);
  if(v('note')!=='')body.note=v('note');
  const media=[];for(const f of $('photos').files)media.push(await prepare(f,cfg.policy));
  if(media.length)body.media=media.map(m=>m.hash+':'+m.bytes);
  const seq=await takeSeq();const entry=await signWith(k,body,seq);
  const id=await save({seq,entry,media,state:'queued',summary:body.class+' ×'+body.count+' at '+body.start,created:Date.now()});
  $('observe').reset();$('minutes').value='5';$('count').value='1';
  say('captured','Signed as number '+seq+' and queued (item '+id+').');await render();sync();
 }catch(e){say('captured','Not recorded: '+e.message);}
});

// Sync: files, then the entry; then the receipt, checked here.
let syncing=false,again=false;
async function sync(){if(syncing){again=true;return;}syncing=true;
 try{const cfg=await cget('server');if(!cfg||!cfg.vkey)return;
  const list=(await items()).sort((a,b)=>a.seq-b.seq);
  for(const it of list){
   if(it.state==='queued'){
    let refused=null;
    for(const m of it.media){const r=await api('/v1/media/'+m.hash,{method:'PUT',body:m.data,headers:{'content-type':m.type}});
     if(r.status===413){refused=m.name+' is too large for the server';break;}
     if(r.status===422||r.status===403){const j=await r.json().catch(()=>({}));refused=m.name+': '+((j.diagnostics||[]).join('; ')||j.error||('HTTP '+r.status));break;}
     if(!r.ok)throw new Error('the server answered '+r.status+' to a file');}
    if(refused){it.state='refused';it.reason=refused;await save(it);continue;}
    const r=await api('/v1/entries',{method:'POST',body:it.entry});const j=await r.json().catch(()=>({}));
    if(r.status===201){it.state='acknowledged';it.index=j.index;}
    else if(r.status===409){it.state='duplicate';it.reason='already recorded: the log already holds number '+it.seq+' of this key, so this copy was not stored again';}
    else if(r.status>=400&&r.status<500){it.state='refused';it.reason=j.error||(j.diagnostics||[]).join('; ')||('HTTP '+r.status);}
    else throw new Error('the server answered '+r.status);
    await save(it);await render();
   }
   if(it.state==='acknowledged'){
    const r=await api('/v1/entries/'+it.index+'/proof');
    if(r.status===404){setTimeout(sync,1000);continue;}
    if(!r.ok)throw new Error('the proof of entry '+it.index+': HTTP '+r.status);
    const d=await r.json();
    const entry=Uint8Array.from(atob(d.entry),c=>c.charCodeAt(0));
    if(new TextDecoder().decode(entry)!==it.entry){it.state='refused';it.reason='the log holds another entry at index '+it.index;await save(it);continue;}
    const checked=await truceProof.verify({index:d.index,entry:d.entry,proof:d.proof,checkpoint:d.checkpoint},cfg.vkey);
    it.state='recorded';it.receipt={index:d.index,size:checked.size,proof:d.proof,checkpoint:d.checkpoint,signature:checked.signature};
    await save(it);await render();
   }
  }
 }catch(e){console.warn('sync stopped:',e);}
 finally{syncing=false;await render();if(again){again=false;sync();}}
}
$('sync').addEventListener('click',sync);

async function render(){const list=(await items()).sort((a,b)=>b.seq-a.seq);const ol=$('queue');ol.textContent='';
 const n=s=>list.filter(i=>i.state===s).length;
 say('summary',list.length+' observation(s) on this device: '+n('queued')+' waiting, '+n('acknowledged')+' sent, '+n('recorded')+' recorded with a verified receipt, '+n('duplicate')+' already recorded, '+n('refused')+' refused.');
 for(const it of list){const li=document.createElement('li');li.dataset.state=it.state;li.dataset.seq=it.seq;if(it.index!==undefined)li.dataset.index=it.index;
  if(it.receipt)li.dataset.proof=it.receipt.signature===true?'verified':'verified-hash-only';
  let text='Number '+it.seq+': '+it.summary+(it.media.length?' ('+it.media.length+' file(s))':'')+' \u2014 ';
  text+=it.state==='queued'?'waiting to be sent':it.state==='acknowledged'?'sent: entry '+it.index+', waiting for its proof':
   it.state==='recorded'?'recorded at entry '+it.index+'; proof verified on this device against the checkpoint of size '+it.receipt.size:
   it.state==='duplicate'?it.reason:'refused: '+it.reason;
  li.textContent=text;ol.appendChild(li);}}
async function start(){const k=await cget('key');$('setup').hidden=!!k;$('capture').hidden=!k;$('queue-section').hidden=!k;
 if(k){say('who','Signing as '+k.name+' (key '+k.author.slice(0,12)+'…); next number '+k.next+'.');await render();if(navigator.onLine)sync();}}
start();
})();"#;
