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
//!   photos, video, sound), its files stripped of location metadata when the mission's policy says so
//!   **before** they are hashed ([`MEDIA_JS`], by the allowlist the server checks), signed with the
//!   next sequence number, and queued in IndexedDB with its files. A file that cannot be stripped
//!   safely is refused on the device with the reason, and the observation is not recorded until the
//!   observer removes or replaces it.
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

use crate::AppState;

type St = State<std::sync::Arc<AppState>>;

/// The shell's version: the service worker's cache is named after it, so a new version replaces it.
const VERSION: &str = "truce-field-1";

/// `GET /field/`: the app's shell, the same for everyone (the mission's vocabulary is public, in the
/// mission entry).
pub(crate) async fn shell(State(st): St) -> Response {
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
/// them, media prepared for the log, and the app itself.
pub(crate) async fn script() -> Response {
    let js = format!(
        "{}\n{}\n{}\n{}",
        crate::pages::SIGNING_JS,
        crate::pages::PROOF_CORE_JS,
        MEDIA_JS,
        APP_JS
    );
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

/// Media for the log, prepared on the device before they are hashed (`truceMedia.prepare`): the file's
/// kind read from its bytes; HEIC/HEIF and other images the mission does not take converted to JPEG
/// when the browser can decode them (the pixels only), refused with how to send them otherwise; and,
/// when the mission strips location, only the parts the server's allowlist takes kept
/// (`truce_watch::media`): JPEG coding segments, JFIF/JFXX without a JPEG thumbnail, ICC and Adobe
/// (not EXIF, XMP, IPTC, MPF, comments, stray bytes, anything after the end); PNG's critical chunks and
/// pixel-only ancillary ones (not text, `eXIf`, unknown chunks, anything after `IEND`); WebP's image
/// chunks, with the VP8X flags for EXIF and XMP cleared; MP3 without its ID3 tags. In MP4 and QuickTime
/// files the boxes that hold a place or free text (`udta`, `meta`, `uuid`, `©xyz`, `loci`, the
/// dashcams' `gps `, `gps0`, `gpsa` and `udat`, `XMP_`) become zeroed `free` boxes of the same size, so
/// no offset moves, and padding boxes are zeroed; a track of timed metadata or text has its samples
/// zeroed where they lie in `mdat`, then becomes a zeroed `free` box too. Then the whole file is
/// searched for what the server's backstop searches (QuickTime location keys, EXIF data, dashcams' GPS
/// logs, NMEA sentences, ISO 6709 text, XMP location properties, location boxes), and a file that still
/// holds any of it is refused here, with the reason and what to do.
const MEDIA_JS: &str = r#"const truceMedia=(function(){
const ascii=(b,i,n)=>String.fromCharCode(...b.subarray(i,i+n));
const u32=(b,i)=>b[i]*16777216+(b[i+1]<<16)+(b[i+2]<<8)+b[i+3];
const le32=(b,i)=>b[i]+(b[i+1]<<8)+(b[i+2]<<16)+b[i+3]*16777216;
const starts=(b,i,s)=>{for(let k=0;k<s.length;k++)if(b[i+k]!==s.charCodeAt(k))return false;return true;};
const cat=(...a)=>{const r=new Uint8Array(a.reduce((n,x)=>n+x.length,0));let o=0;for(const x of a){r.set(x,o);o+=x.length;}return r;};
const no=(name,why)=>{throw new Error(name+' '+why);};
const damaged=(name,kind)=>no(name,'is damaged (it is not a whole '+kind+'), so it cannot be checked for the place it was taken');
// JPEG: coding segments, JFIF (and JFXX with a pixel thumbnail), ICC, Adobe.
function keepJpeg(m,body){
 if(m>=0xC0&&m<=0xCF&&m!==0xC8)return true;
 if(m===0xDA||m===0xDB||m===0xDD)return true;
 if(m===0xE0)return starts(body,0,'JFIF\0')||(starts(body,0,'JFXX\0')&&(body[5]===0x11||body[5]===0x13));
 if(m===0xE2)return starts(body,0,'ICC_PROFILE\0');
 if(m===0xEE)return starts(body,0,'Adobe');
 return false;}
function jpeg(b,name){const out=[b.subarray(0,2)];let i=2;
 for(;;){
  while(i<b.length&&b[i]!==0xFF)i++;
  while(i+1<b.length&&b[i+1]===0xFF)i++;
  if(i+1>=b.length)damaged(name,'JPEG photo');
  const m=b[i+1];
  if(m===0xD9){out.push(Uint8Array.of(0xFF,0xD9));return cat(...out);}
  if(m===0x00||m===0x01||(m>=0xD0&&m<=0xD8)){i+=2;continue;}
  if(i+4>b.length)damaged(name,'JPEG photo');
  const end=i+2+((b[i+2]<<8)|b[i+3]);if(end<i+4||end>b.length)damaged(name,'JPEG photo');
  if(keepJpeg(m,b.subarray(i+4,end)))out.push(b.subarray(i,end));
  i=end;
  if(m===0xDA){let j=i;
   for(;;){while(j<b.length&&b[j]!==0xFF)j++;if(j+1>=b.length)damaged(name,'JPEG photo');
    const n=b[j+1];if(n===0x00||(n>=0xD0&&n<=0xD7)){j+=2;continue;}break;}
   out.push(b.subarray(i,j));i=j;}}}
// PNG: the critical chunks and those holding only numbers about the pixels, a profile or the time.
const PNG_KEEP=['IHDR','PLTE','IDAT','IEND','tRNS','cHRM','gAMA','iCCP','sBIT','sRGB','cICP','mDCV','cLLI','bKGD','hIST','pHYs','tIME','acTL','fcTL','fdAT'];
function png(b,name){const out=[b.subarray(0,8)];let i=8;
 while(i+12<=b.length){const type=ascii(b,i+4,4);const end=i+12+u32(b,i);if(end>b.length)damaged(name,'PNG image');
  if(PNG_KEEP.includes(type))out.push(b.subarray(i,end));i=end;if(type==='IEND')return cat(...out);}
 damaged(name,'PNG image');}
// WebP: the image chunks, with no EXIF or XMP announced.
function webp(b,name){const end=Math.min(b.length,8+le32(b,4));const out=[];let i=12;
 while(i+8<=end){const type=ascii(b,i,4);const len=le32(b,i+4);const stop=Math.min(end,i+8+len+(len&1));
  if(i+8+len>end)damaged(name,'WebP image');
  if(type==='VP8X'){const c=b.slice(i,stop);c[8]&=0xF3;out.push(c);}
  else if(type==='ANMF'){let k=i+24;while(k+8<=i+8+len){const t=ascii(b,k,4);const l=le32(b,k+4);
    if(!['ALPH','VP8 ','VP8L'].includes(t))no(name,'has metadata inside an animation frame, which this app cannot remove: send it as JPEG or PNG');k+=8+l+(l&1);}
   out.push(b.subarray(i,stop));}
  else if(['VP8 ','VP8L','ALPH','ANIM','ICCP'].includes(type))out.push(b.subarray(i,stop));
  i=stop;}
 const body=cat(...out);const head=cat(b.subarray(0,12));const n=body.length+4;
 head.set([n&255,(n>>8)&255,(n>>16)&255,(n>>>24)&255],4);return cat(head,body);}
// MP3: the sound, without its ID3 tags.
function mp3(b){let s=0,e=b.length;
 if(starts(b,0,'ID3')&&b.length>=10)s=Math.min(e,10+(((b[6]&127)<<21)|((b[7]&127)<<14)|((b[8]&127)<<7)|(b[9]&127))+(b[3]===4&&(b[5]&16)?10:0));
 if(e-s>=128&&starts(b,e-128,'TAG'))e-=128;
 return b.slice(s,e);}
// MP4 and QuickTime: boxes that hold a place or text become zeroed free boxes of the same size.
const FREE=['udta','meta','uuid','\u00a9xyz','loci','gps ','GPS ','gps0','gpsa','udat','XMP_'];
const DESCEND=['moov','mdia','minf','stbl','dinf','edts','mvex','moof','traf','mfra','sinf','schi','tref','clip','matt','tapt','gmhd','iprp','ipco'];
const TRACKS=['vide','soun','tmcd','auxv'];
const HEIF=['heic','heix','heim','heis','hevc','hevx','mif1','mif2','msf1','avif','avis'];
function boxes(c,start,end,name){const out=[];let i=start;
 while(i<end){if(end-i===4&&c[i]===0&&c[i+1]===0&&c[i+2]===0&&c[i+3]===0)break;
  if(end-i<8)damaged(name,'video');
  let size=u32(c,i),head=8;const type=ascii(c,i+4,4);
  if(size===1){size=u32(c,i+8)*4294967296+u32(c,i+12);head=16;}else if(size===0)size=end-i;
  if(type==='uuid')head+=16;
  if(size<head||i+size>end)damaged(name,'video');
  out.push({type,at:i,body:i+(type==='uuid'?head-16:head),end:i+size});i+=size;}
 return out;}
const child=(c,box,type,name)=>boxes(c,box.body,box.end,name).find(x=>x.type===type);
function free(c,box){c.set([102,114,101,101],box.at+4);c.fill(0,box.body,box.end);}
// The bytes of a track's samples, from its sample table.
function samples(c,stbl,name){const t=x=>child(c,stbl,x,name);const stsz=t('stsz'),stsc=t('stsc');const stco=t('stco')||t('co64');
 if(!stsz||!stsc||!stco)no(name,'has a track of timed metadata or text whose samples this app cannot find, and they can carry the place as it moves: record it with location off');
 const fixed=u32(c,stsz.body+4),count=u32(c,stsz.body+8);const size=k=>fixed||u32(c,stsz.body+12+4*k);
 const runs=[];for(let k=0,n=u32(c,stsc.body+4);k<n;k++)runs.push([u32(c,stsc.body+8+12*k),u32(c,stsc.body+12+12*k)]);
 const wide=stco.type==='co64';const chunks=u32(c,stco.body+4);const out=[];let s=0;
 for(let k=1;k<=chunks&&s<count;k++){let per=0;for(const [first,n] of runs)if(first<=k)per=n;
  let at=wide?u32(c,stco.body+8+8*(k-1))*4294967296+u32(c,stco.body+12+8*(k-1)):u32(c,stco.body+8+4*(k-1));
  for(let q=0;q<per&&s<count;q++,s++){const n=size(s);if(at+n>c.length)damaged(name,'video');out.push([at,n]);at+=n;}}
 return out;}
function movie(c,start,end,name,depth){if(depth>16)no(name,'nests boxes deeper than the server reads');
 for(const box of boxes(c,start,end,name)){
  if(box.type==='cmov')no(name,'has a compressed movie header, which this app cannot read: export it again from the camera app');
  if(box.type==='trak'){const mdia=child(c,box,'mdia',name);const hdlr=mdia&&child(c,mdia,'hdlr',name);
   const kind=hdlr?ascii(c,hdlr.body+8,4):'';
   if(TRACKS.includes(kind)){movie(c,box.body,box.end,name,depth+1);continue;}
   const minf=mdia&&child(c,mdia,'minf',name);const stbl=minf&&child(c,minf,'stbl',name);
   if(!stbl||boxes(c,0,c.length,name).some(x=>x.type==='moof'))no(name,'has a track of timed metadata or text that this app cannot remove, and it can carry the place as it moves: record it with location off');
   for(const [at,n] of samples(c,stbl,name))c.fill(0,at,at+n);
   free(c,box);continue;}
  if(FREE.includes(box.type))free(c,box);
  else if(['free','skip','wide'].includes(box.type))c.fill(0,box.body,box.end);
  else if(DESCEND.includes(box.type))movie(c,box.body,box.end,name,depth+1);}}
// What the server's backstop looks for anywhere in a file.
function leftover(b){const t=new TextDecoder('windows-1252').decode(b);
 if(t.includes('com.apple.quicktime.location'))return 'QuickTime location metadata';
 if(/Exif\x00\x00(MM\x00\*|II\*\x00)/.test(t))return 'EXIF camera data';
 if(/freeGPS |LIGOGPSINFO/.test(t))return 'a dashcam\u2019s GPS log';
 if(/\$G[PN](RMC|GGA),/.test(t))return 'a GPS receiver\u2019s position sentence';
 if(/[+-]\d{2,6}(\.\d+)?[+-]\d{3,7}(\.\d+)?([+-]\d{1,6}(\.\d+)?)?\/|[+-]\d{2,6}\.\d{2,}[+-]\d{3,7}\.\d{2,}/.test(t))return 'a position written as text';
 if(/[A-Za-z0-9]:(gps[\w.-]{2,}|location[\w.-]*|sublocation[\w.-]*|city|state|country|countrycode|countryname|provincestate|worldregion|shotlocation|latitude|longitude)(?=[=>\/"'\s]|$)/i.test(t))return 'an XMP property naming a place';
 for(const m of t.matchAll(/udta|loci|\u00a9xyz|gps |gps0|XMP_/g)){const i=m.index;if(i>=4){const n=u32(b,i-4);if(n>=8&&n<=b.length-(i-4))return 'a '+m[0]+' box';}}
 return null;}
function kindOf(b,declared){
 if(b[0]===0xFF&&b[1]===0xD8&&b[2]===0xFF)return 'image/jpeg';
 if(starts(b,0,'\x89PNG\r\n\x1a\n'))return 'image/png';
 if(starts(b,0,'RIFF')&&starts(b,8,'WEBP'))return 'image/webp';
 if(['ftyp','moov','mdat','free','skip','wide','pnot'].includes(ascii(b,4,4))){const brand=ascii(b,4,4)==='ftyp'?ascii(b,8,4):'';
  if(HEIF.includes(brand))return 'image/heif';
  if(brand==='qt  '||declared==='video/quicktime')return 'video/quicktime';
  if(brand==='M4A '||brand==='M4B '||declared.startsWith('audio/'))return 'audio/mp4';
  return 'video/mp4';}
 if(starts(b,0,'ID3')||(b[0]===0xFF&&(b[1]&0xE0)===0xE0))return 'audio/mpeg';
 return declared.startsWith('image/')?'image/other':'';}
// Images the mission does not take, as JPEG: the pixels only.
async function toJpeg(file,name,heif){let bmp=null;try{bmp=await createImageBitmap(file);}catch(e){}
 if(!bmp)no(name,heif?'is a HEIC photo, which this browser cannot convert: set the camera to Most Compatible (Settings, Camera, Formats), or share the photo as JPEG, and add it again':'is an image this browser cannot read: send it as JPEG or PNG');
 const canvas=document.createElement('canvas');canvas.width=bmp.width;canvas.height=bmp.height;
 canvas.getContext('2d').drawImage(bmp,0,0);bmp.close();
 const blob=await new Promise(r=>canvas.toBlob(r,'image/jpeg',0.92));if(!blob)no(name,'could not be converted to JPEG');
 return new Uint8Array(await blob.arrayBuffer());}
async function prepare(file,policy){const name=file.name||'the file';let b=new Uint8Array(await file.arrayBuffer());
 let type=kindOf(b,file.type||'');
 if(type==='image/heif'||type==='image/other'){b=await toJpeg(file,name,type==='image/heif');type='image/jpeg';}
 if(!type)no(name,'is not a kind of file this mission takes (JPEG, PNG, WebP, MP4, QuickTime, MP4 audio, MP3)');
 if(policy.location==='strip'){
  if(type==='image/jpeg')b=jpeg(b,name);else if(type==='image/png')b=png(b,name);else if(type==='image/webp')b=webp(b,name);
  else if(type==='audio/mpeg')b=mp3(b);else{b=b.slice();movie(b,0,b.length,name,0);}
  const left=leftover(b);
  if(left)no(name,'still carries '+left+' where this app cannot remove it, and it can give away where you were: record it with location off (on a phone: Settings, Privacy, Location Services, Camera), or send photos instead');}
 if(b.length>policy.max_bytes)no(name,'has '+b.length+' bytes, over the mission\u2019s limit of '+policy.max_bytes);
 const hash=[...new Uint8Array(await crypto.subtle.digest('SHA-256',b))].map(x=>x.toString(16).padStart(2,'0')).join('');
 return {hash,bytes:b.length,type,name,data:b.buffer.slice(b.byteOffset,b.byteOffset+b.length)};}
return {prepare};
})();"#;

/// The app.
const APP_JS: &str = r#"(function(){
const $=id=>document.getElementById(id);
const data=JSON.parse($('field-data').textContent);
const enc=new TextEncoder();
const hex=b=>[...b].map(x=>x.toString(16).padStart(2,'0')).join('');
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
  const media=[];for(const f of $('photos').files)media.push(await truceMedia.prepare(f,cfg.policy));
  if(media.length)body.media=media.map(m=>m.hash+':'+m.bytes);
  const seq=await takeSeq();const entry=await signWith(k,body,seq);
  const id=await save({seq,entry,media,state:'queued',summary:body.class+' ×'+body.count+' at '+body.start,created:Date.now()});
  $('observe').reset();$('minutes').value='5';$('count').value='1';
  say('captured','Signed as number '+seq+' and queued (item '+id+').');await render();sync();
 }catch(e){say('captured','Not recorded: '+e.message);}
});

// Sync: files, then the entry; then the receipt, checked here. A sync that stops (the network, or
// a busy server: 503, 408) tries again by itself, waiting twice as long each time up to a minute.
let syncing=false,again=false,backoff=0;
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
  backoff=0;
 }catch(e){console.warn('sync stopped:',e);backoff=Math.min(backoff?backoff*2:1000,60000);setTimeout(sync,backoff);}
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
