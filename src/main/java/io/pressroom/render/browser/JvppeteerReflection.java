package io.pressroom.render.browser;

import com.ruiyun.jvppeteer.cdp.core.FrameTreeEvent;
import com.ruiyun.jvppeteer.cdp.entities.BindingPayload;
import com.ruiyun.jvppeteer.cdp.entities.DragInterceptedEvent;
import com.ruiyun.jvppeteer.cdp.entities.EvaluateResponse;
import com.ruiyun.jvppeteer.cdp.entities.FilterEntry;
import com.ruiyun.jvppeteer.cdp.entities.GetVersionResponse;
import com.ruiyun.jvppeteer.cdp.entities.HeaderEntry;
import com.ruiyun.jvppeteer.cdp.entities.RemoteObject;
import com.ruiyun.jvppeteer.cdp.entities.ScreenOrientation;
import com.ruiyun.jvppeteer.cdp.events.AttachedToTargetEvent;
import com.ruiyun.jvppeteer.cdp.events.AuthRequiredEvent;
import com.ruiyun.jvppeteer.cdp.events.BindingCalledEvent;
import com.ruiyun.jvppeteer.cdp.events.ConsoleAPICalledEvent;
import com.ruiyun.jvppeteer.cdp.events.DetachedFromTargetEvent;
import com.ruiyun.jvppeteer.cdp.events.DownloadProgressEvent;
import com.ruiyun.jvppeteer.cdp.events.DownloadWillBeginEvent;
import com.ruiyun.jvppeteer.cdp.events.EntryAddedEvent;
import com.ruiyun.jvppeteer.cdp.events.ExceptionThrownEvent;
import com.ruiyun.jvppeteer.cdp.events.ExecutionContextCreatedEvent;
import com.ruiyun.jvppeteer.cdp.events.ExecutionContextDestroyedEvent;
import com.ruiyun.jvppeteer.cdp.events.FileChooserOpenedEvent;
import com.ruiyun.jvppeteer.cdp.events.FrameAttachedEvent;
import com.ruiyun.jvppeteer.cdp.events.FrameDetachedEvent;
import com.ruiyun.jvppeteer.cdp.events.FrameNavigatedEvent;
import com.ruiyun.jvppeteer.cdp.events.FrameStartedLoadingEvent;
import com.ruiyun.jvppeteer.cdp.events.FrameStoppedLoadingEvent;
import com.ruiyun.jvppeteer.cdp.events.JavascriptDialogOpeningEvent;
import com.ruiyun.jvppeteer.cdp.events.LifecycleEvent;
import com.ruiyun.jvppeteer.cdp.events.LoadingFailedEvent;
import com.ruiyun.jvppeteer.cdp.events.LoadingFinishedEvent;
import com.ruiyun.jvppeteer.cdp.events.MetricsEvent;
import com.ruiyun.jvppeteer.cdp.events.NavigatedWithinDocumentEvent;
import com.ruiyun.jvppeteer.cdp.events.RequestPausedEvent;
import com.ruiyun.jvppeteer.cdp.events.RequestServedFromCacheEvent;
import com.ruiyun.jvppeteer.cdp.events.RequestWillBeSentEvent;
import com.ruiyun.jvppeteer.cdp.events.ResponseReceivedEvent;
import com.ruiyun.jvppeteer.cdp.events.ResponseReceivedExtraInfoEvent;
import com.ruiyun.jvppeteer.cdp.events.ScreencastFrameEvent;
import com.ruiyun.jvppeteer.cdp.events.ScriptParsedEvent;
import com.ruiyun.jvppeteer.cdp.events.StyleSheetAddedEvent;
import com.ruiyun.jvppeteer.cdp.events.TargetCreatedEvent;
import com.ruiyun.jvppeteer.cdp.events.TargetDestroyedEvent;
import com.ruiyun.jvppeteer.cdp.events.TargetInfoChangedEvent;
import com.ruiyun.jvppeteer.cdp.events.TracingCompleteEvent;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The classes jvppeteer reads DevTools messages into and writes requests from with Jackson, by reflection on their
 * fields ({@code Constant.OBJECTMAPPER} sees fields of any visibility). A native executable without them starts,
 * then fails at the first event it cannot read, or cannot even send {@code Target.setAutoAttach} (a
 * {@link FilterEntry} list) while launching Chromium. The roots are every CDP event class in jvppeteer's own table
 * ({@code Constant.LISTENER_CLASSES}, which {@code JvppeteerReflectionTest} keeps complete) and the replies and
 * parameters of the calls we make through it; {@code registerFullHierarchy} adds every class they hold in a field
 * or a getter, their superclasses and subclasses. {@code NativeSourcesIT} checks the result, class by class, in the
 * configuration the native build is given.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        // every DevTools event jvppeteer 3.3.9 deserializes (CdpConnection and CdpCDPSession, for any listener)
        AttachedToTargetEvent.class, AuthRequiredEvent.class, BindingCalledEvent.class, ConsoleAPICalledEvent.class,
        DetachedFromTargetEvent.class, DownloadProgressEvent.class, DownloadWillBeginEvent.class, DragInterceptedEvent.class,
        EntryAddedEvent.class, ExceptionThrownEvent.class, ExecutionContextCreatedEvent.class,
        ExecutionContextDestroyedEvent.class, FileChooserOpenedEvent.class, FrameAttachedEvent.class, FrameDetachedEvent.class,
        FrameNavigatedEvent.class, FrameStartedLoadingEvent.class, FrameStoppedLoadingEvent.class,
        JavascriptDialogOpeningEvent.class, LifecycleEvent.class, LoadingFailedEvent.class, LoadingFinishedEvent.class,
        MetricsEvent.class, NavigatedWithinDocumentEvent.class, RequestPausedEvent.class, RequestServedFromCacheEvent.class,
        RequestWillBeSentEvent.class, ResponseReceivedEvent.class, ResponseReceivedExtraInfoEvent.class,
        ScreencastFrameEvent.class, ScriptParsedEvent.class, StyleSheetAddedEvent.class, TargetCreatedEvent.class,
        TargetDestroyedEvent.class, TargetInfoChangedEvent.class, TracingCompleteEvent.class,
        // replies: the frame tree of a new page, Browser.getVersion, Runtime.evaluate/callFunctionOn, handles,
        // exposed-function bindings
        FrameTreeEvent.class, GetVersionResponse.class, EvaluateResponse.class, RemoteObject.class,
        BindingPayload.class,
        // parameters written as objects: Target.setAutoAttach's filter, the default viewport, request headers
        FilterEntry.class, ScreenOrientation.class, HeaderEntry.class })
final class JvppeteerReflection {

    private JvppeteerReflection() {
    }
}
