/**
 * The report's only script, inlined: the filter (text + status toggles) and
 * jumping to a check from the matrix. Plain ES2017, no libraries, no network.
 */
export const PAGE_SCRIPT = `
(function(){
  var q=document.getElementById('filter-text');
  var toggles=Array.prototype.slice.call(document.querySelectorAll('[data-toggle]'));
  var none=document.getElementById('no-match');
  function on(){var s={};toggles.forEach(function(t){if(t.getAttribute('aria-pressed')==='true')s[t.getAttribute('data-toggle')]=1});return s}
  function apply(){
    var text=q.value.trim().toLowerCase(),st=on(),shown=0;
    document.querySelectorAll('section.scenario').forEach(function(s){
      var stext=s.getAttribute('data-text'),checks=s.querySelectorAll('article.check'),any=false;
      if(checks.length===0){any=!!st[s.getAttribute('data-status')]&&(!text||stext.indexOf(text)>=0)}
      checks.forEach(function(c){
        var ok=!!st[c.getAttribute('data-status')]&&(!text||c.getAttribute('data-text').indexOf(text)>=0||stext.indexOf(text)>=0);
        c.hidden=!ok;if(ok)any=true;
      });
      s.hidden=!any;if(any)shown++;
    });
    none.hidden=shown>0;
  }
  function reset(){q.value='';toggles.forEach(function(t){t.setAttribute('aria-pressed','true')});apply()}
  function reveal(id){
    var el=document.getElementById(id);if(!el)return;
    if(el.closest('[hidden]'))reset();
    var d=el.querySelector('details');if(d)d.open=true;
    for(var p=el.parentElement;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true}
    el.scrollIntoView({block:'start'});
    el.classList.add('flash');setTimeout(function(){el.classList.remove('flash')},1600);
  }
  toggles.forEach(function(t){t.addEventListener('click',function(){t.setAttribute('aria-pressed',t.getAttribute('aria-pressed')==='true'?'false':'true');apply()})});
  q.addEventListener('input',apply);
  document.getElementById('filter-reset').addEventListener('click',reset);
  document.addEventListener('click',function(e){
    var a=e.target.closest&&e.target.closest('a[href^="#"]');if(!a)return;
    var id=a.getAttribute('href').slice(1);if(!document.getElementById(id))return;
    e.preventDefault();try{history.replaceState(null,'','#'+id)}catch(err){}
    reveal(id);
  });
  window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});
  if(location.hash)reveal(decodeURIComponent(location.hash.slice(1)));
})();
`;
